package io.streamingpipeline.localstack.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The copies of Spark's JDK 17 options that cannot read {@link SparkCluster#JDK17_OPTIONS_RESOURCE} (a pom, Python, a
 * config file and a Dockerfile of the repository) hold the same options, in the same order.
 */
class SparkJdk17OptionsTest {

    private static final Path REPO = Path.of("..");
    private static final String ADD_OPENS = "--add-opens=";

    @Test
    void theListIsReadFromTheResource() {
        assertThat(SparkCluster.JDK17_OPTIONS)
                .hasSizeGreaterThan(10)
                .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
                .allMatch(o -> o.startsWith("-D") || o.startsWith(ADD_OPENS));
    }

    @Test
    void theJobsTestsRunWithThem() throws IOException {
        Matcher property = Pattern.compile("(?s)<spark.jdk17.options>(.*?)</spark.jdk17.options>")
                .matcher(read("spark-streaming/pom.xml"));
        assertThat(property.find())
                .as("spark.jdk17.options in spark-streaming/pom.xml")
                .isTrue();
        assertThat(words(property.group(1))).isEqualTo(SparkCluster.JDK17_OPTIONS);
    }

    @Test
    void theDayJobsRestSubmissionsCarryThem() throws IOException {
        Matcher tuple =
                Pattern.compile("(?s)\nJDK17_OPTIONS = \\((.*?)\n\\)").matcher(read("airflow/dags/dayjobs/day_job.py"));
        assertThat(tuple.find()).as("JDK17_OPTIONS in day_job.py").isTrue();
        List<String> options = new ArrayList<>();
        Matcher quoted = Pattern.compile("\"([^\"]+)\"").matcher(tuple.group(1));
        while (quoted.find()) {
            options.add(quoted.group(1));
        }
        assertThat(options).isEqualTo(SparkCluster.JDK17_OPTIONS);
    }

    @Test
    void theKubernetesSparkDefaultsGiveThemToDriverAndExecutors() throws IOException {
        String conf = read("k8s/base/scripts/spark-defaults.conf");
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            Matcher line =
                    Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s+(.*)$").matcher(conf);
            assertThat(line.find()).as(key + " in spark-defaults.conf").isTrue();
            assertThat(words(line.group(1))).as(key).isEqualTo(SparkCluster.JDK17_OPTIONS);
        }
    }

    /** The image writes its spark-defaults.conf from a shell loop over the opened packages and the system properties. */
    @Test
    void theJobImageWritesThemIntoItsSparkDefaults() throws IOException {
        String dockerfile = read("src/main/docker/Dockerfile.spark-job").replace("\\\n", " ");
        Matcher loop = Pattern.compile("for p in ([^;]+); do opens=\"\\$opens " + ADD_OPENS + "\\$p=ALL-UNNAMED\"")
                .matcher(dockerfile);
        assertThat(loop.find())
                .as("the --add-opens loop of Dockerfile.spark-job")
                .isTrue();
        Matcher flags = Pattern.compile("flags=\"([^\"$]*)\\$opens\"").matcher(dockerfile);
        assertThat(flags.find())
                .as("flags=\"...$opens\" in Dockerfile.spark-job")
                .isTrue();

        List<String> options = new ArrayList<>(words(flags.group(1)));
        words(loop.group(1)).forEach(p -> options.add(ADD_OPENS + p + "=ALL-UNNAMED"));
        assertThat(options).isEqualTo(SparkCluster.JDK17_OPTIONS);
    }

    private static String read(String file) throws IOException {
        return Files.readString(REPO.resolve(file));
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).toList();
    }
}
