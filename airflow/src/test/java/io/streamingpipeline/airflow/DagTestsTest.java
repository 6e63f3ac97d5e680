package io.streamingpipeline.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.localstack.spark.SparkCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Python side of the DAGs, from Maven: airflow/tests under pytest, and what it shares with the Java side. */
class DagTestsTest {

    /**
     * The DAG files compiled and checked statically, the DAGs loaded against a stand-in of airflow.sdk, the REST
     * client against a scripted fake master, the settings and the day job's submission (tests/README of each file).
     */
    @Test
    void pytestPasses() {
        Pytest.Result result = Pytest.require().run(Map.of(), "-q", "tests");
        System.out.println(result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).containsPattern("\\d+ passed");
    }

    /** The JDK 17 options a REST submission carries are the ones the local stack's cluster runs Spark with. */
    @Test
    void restSubmissionsCarryTheLocalStacksJdk17Options() throws IOException {
        String source = Files.readString(Path.of("dags/dayjobs/day_job.py"));
        Matcher tuple = Pattern.compile("(?s)JDK17_OPTIONS = \\((.*?)\\n\\)").matcher(source);
        assertThat(tuple.find()).as("JDK17_OPTIONS in day_job.py").isTrue();
        List<String> options = new ArrayList<>();
        Matcher quoted = Pattern.compile("\"([^\"]+)\"").matcher(tuple.group(1));
        while (quoted.find()) {
            options.add(quoted.group(1));
        }
        assertThat(options).isEqualTo(SparkCluster.JDK17_OPTIONS);
    }

    /** The client says it speaks the Spark version the job is built for and the images run. */
    @Test
    void restSubmissionsNameTheJobsSparkVersion() throws IOException {
        Matcher pom = Pattern.compile("<spark.version>([^<]+)</spark.version>")
                .matcher(Files.readString(Path.of("../spark-streaming/pom.xml")));
        assertThat(pom.find()).isTrue();
        assertThat(Files.readString(Path.of("dags/dayjobs/day_job.py")))
                .contains("SPARK_VERSION = \"" + pom.group(1) + "\"");
    }
}
