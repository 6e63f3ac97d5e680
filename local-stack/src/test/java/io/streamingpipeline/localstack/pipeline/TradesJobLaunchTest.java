package io.streamingpipeline.localstack.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which program arguments a launch renders; that the job accepts them is checked in integration-tests. */
class TradesJobLaunchTest {

    @TempDir
    Path dir;

    @Test
    void rendersEachOptionSetUnderTheJobsNameInDeclarationOrder() {
        TradesJobLaunch launch = TradesJobLaunch.of(dir.resolve("job.jar"))
                .health(8091)
                .cassandra("127.0.0.1", 9043, "datacenter1", "pipeline", Path.of("/secrets/pw"))
                .triggerInterval("1s")
                .keyspace("it_x")
                .maxOffsetsPerTrigger(50_000)
                .startingOffsets("earliest")
                .checkpoint(Path.of("/data/cp"))
                .topics("it_trades", "it_trades_dlq")
                .bootstrapServers("127.0.0.1:9092");

        assertThat(launch.arguments())
                .containsExactly(
                        "--bootstrap-servers", "127.0.0.1:9092",
                        "--topic", "it_trades",
                        "--dead-letter-topic", "it_trades_dlq",
                        "--checkpoint-location", "file:///data/cp",
                        "--starting-offsets", "earliest",
                        "--max-offsets-per-trigger", "50000",
                        "--trigger-interval", "1s",
                        "--cassandra-host", "127.0.0.1",
                        "--cassandra-port", "9043",
                        "--cassandra-local-dc", "datacenter1",
                        "--cassandra-username", "pipeline",
                        "--cassandra-password-file", "/secrets/pw",
                        "--keyspace", "it_x",
                        "--health-port", "8091",
                        "--health-bind-address", "127.0.0.1");
    }

    @Test
    void passesNothingNotSetSoTheJobsDefaultsApply() {
        assertThat(TradesJobLaunch.of(dir.resolve("job.jar")).arguments()).isEmpty();
        assertThat(TradesJobLaunch.of(dir.resolve("job.jar"))
                        .bootstrapServers("k:9092")
                        .arguments())
                .containsExactly("--bootstrap-servers", "k:9092");
    }

    @Test
    void theSchemaCommandIsAFlagWithTheReplication() {
        assertThat(TradesJobLaunch.of(dir.resolve("job.jar"))
                        .keyspace("it_schema")
                        .applySchema("SimpleStrategy:1")
                        .arguments())
                .containsExactly("--keyspace", "it_schema", "--apply-schema", "--replication", "SimpleStrategy:1");
    }

    @Test
    void aSettingTwiceKeepsTheLast() {
        assertThat(TradesJobLaunch.of(dir.resolve("job.jar"))
                        .triggerInterval("1s")
                        .triggerInterval("250ms")
                        .arguments())
                .containsExactly("--trigger-interval", "250ms");
    }

    @Test
    void aBlankValueFailsNamingTheOption() {
        TradesJobLaunch launch = TradesJobLaunch.of(dir.resolve("job.jar"));
        assertThatThrownBy(() -> launch.bootstrapServers(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bootstrap-servers");
        assertThatThrownBy(() -> launch.topics("t", null)).hasMessageContaining("--dead-letter-topic");
    }

    @Test
    void theSubmissionRunsTheJobsMainClassWithTheArguments() throws IOException {
        Path jar = Files.createFile(dir.resolve("spark-streaming-job.jar"));

        SparkSubmission submission = TradesJobLaunch.of(jar)
                .bootstrapServers("127.0.0.1:9092")
                .submission("trades-it")
                .driverHeap("1g")
                .build();

        assertThat(submission.mainClass()).isEqualTo("io.streamingpipeline.spark.TradesToCassandraJob");
        assertThat(submission.jar()).isEqualTo(jar.toAbsolutePath());
        assertThat(submission.name()).isEqualTo("trades-it");
        assertThat(submission.args()).containsExactly("--bootstrap-servers", "127.0.0.1:9092");
        assertThat(submission.driverHeap()).isEqualTo("1g");
    }

    @Test
    void thePasswordFileIsOwnerOnlyAndThePasswordIsNoArgument() throws IOException {
        Path file = dir.resolve("job/cassandra-password");

        TradesJobLaunch.writePasswordFile("s3cret-pw", file);
        TradesJobLaunch launch = TradesJobLaunch.of(dir.resolve("job.jar"))
                .cassandra("127.0.0.1", 9042, "datacenter1", "pipeline", file);

        assertThat(Files.readString(file)).isEqualTo("s3cret-pw\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(String.join(" ", launch.arguments())).doesNotContain("s3cret-pw");
    }
}
