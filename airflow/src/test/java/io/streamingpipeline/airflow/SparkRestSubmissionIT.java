package io.streamingpipeline.airflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.localstack.spark.SparkCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DAGs' submission path on a real Spark 3.5 standalone master with its REST endpoint on
 * ({@code spark.master.rest.enabled}, as Compose and Kubernetes run it for Airflow): the Python client
 * (dags/dayjobs/spark_rest.py) submits the streaming job's jar in cluster mode, once with {@code --help} (exit 0:
 * FINISHED) and once with an unknown option (exit 2: FAILED), and DayJobsMain (the class the DAGs start) with
 * {@code daily-close --help} once the jar has it, and with the whole command line of a DAG task (run_day_job) against
 * a Postgres port where nothing listens: every argument parses, the job exits 3 at Postgres (FAILED). Through
 * tests/test_real_master.py; the drivers really ran on the worker (their stdout and stderr there are checked).
 */
class SparkRestSubmissionIT {

    @Test
    void pythonClientSubmitsToTheRealMasterAndSeesTheDriversEnd(@TempDir Path dir) throws IOException {
        Pytest pytest = Pytest.require();
        Path jar = Path.of(System.getProperty("pipeline.job.jar", "../spark-streaming/target/spark-streaming-job.jar"))
                .toAbsolutePath()
                .normalize();
        assertThat(jar).as("the job jar (build spark-streaming first)").isRegularFile();

        try (SparkCluster spark = SparkCluster.builder(dir.resolve("spark"))
                .restSubmission()
                .workerCores(2)
                .start()) {
            String restUrl = spark.restUrl().orElseThrow();
            Pytest.Result result = pytest.run(
                    Map.of("SPARK_REST_URL", restUrl, "TRADES_JOB_JAR", jar.toString()),
                    "-q",
                    "-s",
                    "tests/test_real_master.py");
            System.out.println(result.output());
            assertThat(result.exitCode()).as(result.output()).isZero();
            boolean dayJobs;
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                dayJobs = zip.getEntry("io/streamingpipeline/spark/batch/DayJobsMain.class") != null;
            }
            // DayJobsMain (the day jobs' class, the DAGs' main class) is tested once it is in the jar
            assertThat(result.output()).contains(dayJobs ? "4 passed" : "2 passed, 2 skipped");
            if (dayJobs) {
                Matcher dayJob = Pattern.compile("DAYJOBS (driver-\\S+)").matcher(result.output());
                assertThat(dayJob.find()).as(result.output()).isTrue();
                assertThat(Files.readString(
                                spark.workerWorkDir().resolve(dayJob.group(1)).resolve("stdout")))
                        .contains("--ops-jdbc-url");
                // every argument of the DAG tasks' command line parsed (no exit 2); the job stopped at Postgres
                Matcher close = Pattern.compile("CLOSE (driver-\\S+)").matcher(result.output());
                assertThat(close.find()).as(result.output()).isTrue();
                assertThat(Files.readString(
                                spark.workerWorkDir().resolve(close.group(1)).resolve("stderr")))
                        .contains("FAILED daily-close --day 2026-12-01: ")
                        .doesNotContain("needs a value");
            }

            Matcher finished = Pattern.compile("FINISHED (driver-\\S+)").matcher(result.output());
            assertThat(finished.find()).as(result.output()).isTrue();
            Path stdout = spark.workerWorkDir().resolve(finished.group(1)).resolve("stdout");
            assertThat(stdout).as("the driver's stdout on the worker").isRegularFile();
            assertThat(Files.readString(stdout)).contains("--bootstrap-servers");

            Matcher failed = Pattern.compile("FAILED (driver-\\S+)").matcher(result.output());
            assertThat(failed.find()).as(result.output()).isTrue();
            assertThat(Files.readString(
                            spark.workerWorkDir().resolve(failed.group(1)).resolve("stderr")))
                    .contains("no-such-option");
        }
    }
}
