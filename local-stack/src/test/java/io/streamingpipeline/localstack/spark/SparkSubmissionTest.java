package io.streamingpipeline.localstack.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSubmissionTest {

    @TempDir
    Path dir;

    @Test
    void jvmOptionsGoToTheDriverAndTheExecutorsAndBlankIsNone() throws IOException {
        SparkSubmission.Builder builder = SparkSubmission.builder("x.Job", Files.createFile(dir.resolve("job.jar")));

        SparkSubmission none = builder.jvmOptions("  ").build();
        SparkSubmission both = builder.jvmOptions(" -XX:TieredStopAtLevel=1  -Dx=y ")
                .driverJvmOptions("-Dfault=1")
                .build();

        assertThat(none.driverJvmOptions()).isEmpty();
        assertThat(none.conf()).doesNotContainKey("spark.executor.extraJavaOptions");
        assertThat(both.driverJvmOptions()).containsExactly("-XX:TieredStopAtLevel=1", "-Dx=y", "-Dfault=1");
        assertThat(both.conf()).containsEntry("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1  -Dx=y");
    }

    @Test
    void confInOrderAfterTheShufflePartitionsOverridesThem() throws IOException {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("spark.sql.shuffle.partitions", "4");
        given.put("spark.cassandra.output.concurrent.writes", "16");

        SparkSubmission submission = SparkSubmission.builder("x.Job", Files.createFile(dir.resolve("job.jar")))
                .shufflePartitions(2)
                .conf(given)
                .build();

        assertThat(submission.conf())
                .containsEntry("spark.sql.shuffle.partitions", "4")
                .containsEntry("spark.cassandra.output.concurrent.writes", "16");
    }
}
