package io.streamingpipeline.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
