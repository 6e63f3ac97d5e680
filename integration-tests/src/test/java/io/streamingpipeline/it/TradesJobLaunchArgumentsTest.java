package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.pipeline.TradesJobLaunch;
import io.streamingpipeline.spark.JobOption;
import io.streamingpipeline.spark.JobSettings;
import io.streamingpipeline.spark.TradesToCassandraJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What local-stack's launcher passes is what the job reads: every option name it can emit is one the job declares
 * ({@link JobSettings#OPTIONS}), and the job's own parser accepts its arguments with the values the launcher meant.
 * No engine: a unit test against the job's classes.
 */
class TradesJobLaunchArgumentsTest {

    @TempDir
    Path dir;

    @Test
    void everyOptionTheLauncherCanPassIsOneTheJobDeclares() {
        List<String> declared =
                JobSettings.OPTIONS.stream().map(JobOption::name).toList();

        assertThat(Arrays.stream(TradesJobLaunch.Option.values()).map(TradesJobLaunch.Option::jobName))
                .allSatisfy(name ->
                        assertThat(declared).as("options of JobSettings").contains(name));
    }

    @Test
    void theLauncherReadsTheJobsExitCodesAndReasonAsTheJobDeclaresThem() {
        assertThat(TradesJobLaunch.MAIN_CLASS).isEqualTo(TradesToCassandraJob.class.getName());
        assertThat(TradesJobLaunch.EXIT_INVALID_SETTINGS).isEqualTo(TradesToCassandraJob.EXIT_INVALID_SETTINGS);
        assertThat(TradesJobLaunch.EXIT_REFUSED).isEqualTo(TradesToCassandraJob.EXIT_REFUSED);
        assertThat(TradesJobLaunch.REFUSED).isEqualTo(TradesToCassandraJob.REFUSED);
        assertThat(TradesJobLaunch.TERMINATION_MESSAGE_PATH).isEqualTo(TradesToCassandraJob.TERMINATION_MESSAGE_PATH);
    }

    @Test
    void theJobParsesTheStreamingArgumentsToTheValuesSet() {
        JobSettings settings = parse(streaming());

        assertThat(settings.command()).isEqualTo(JobSettings.Command.RUN);
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(settings.topic()).isEqualTo("it_trades");
        assertThat(settings.deadLetterTopic()).isEqualTo("it_trades_dlq");
        assertThat(settings.checkpointLocation())
                .isEqualTo(dir.resolve("checkpoint").toUri().toString());
        assertThat(settings.startingOffsets()).isEqualTo("latest");
        assertThat(settings.maxOffsetsPerTrigger()).isEqualTo(50_000);
        assertThat(settings.failOnDataLoss()).isFalse();
        assertThat(settings.triggerInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.cassandraHost()).isEqualTo("127.0.0.1");
        assertThat(settings.cassandraPort()).isEqualTo(19042);
        assertThat(settings.cassandraUsername()).contains("pipeline");
        assertThat(settings.sparkConf())
                .containsEntry("spark.cassandra.connection.localDC", "datacenter1")
                .containsEntry("spark.cassandra.auth.password", "it-password");
        assertThat(settings.keyspace()).isEqualTo("it_launch");
        assertThat(settings.healthPort()).isEqualTo(18090);
        assertThat(settings.healthBindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void theJobParsesTheSchemaCommand() {
        JobSettings settings = parse(schema());

        assertThat(settings.command()).isEqualTo(JobSettings.Command.APPLY_SCHEMA);
        assertThat(settings.keyspace()).isEqualTo("it_launch_schema");
        assertThat(settings.replication()).isEqualTo(CassandraSchema.Replication.simple(1));
    }

    /** A new option of the launcher fails here until the launches above pass it through the job's parser. */
    @Test
    void theLaunchesAboveSetEveryOptionOfTheLauncher() {
        List<String> passed = new ArrayList<>(streaming().arguments());
        passed.addAll(schema().arguments());

        assertThat(passed)
                .containsAll(Arrays.stream(TradesJobLaunch.Option.values())
                        .map(o -> "--" + o.jobName())
                        .toList());
    }

    private TradesJobLaunch streaming() {
        Path passwordFile = TradesJobLaunch.writePasswordFile("it-password", dir.resolve("cassandra-password"));
        return TradesJobLaunch.of(dir.resolve("job.jar"))
                .bootstrapServers("127.0.0.1:19092")
                .topics("it_trades", "it_trades_dlq")
                .checkpoint(dir.resolve("checkpoint"))
                .startingOffsets("latest")
                .maxOffsetsPerTrigger(50_000)
                .failOnDataLoss(false)
                .triggerInterval("1s")
                .cassandra("127.0.0.1", 19042, "datacenter1", "pipeline", passwordFile)
                .keyspace("it_launch")
                .health(18090);
    }

    private TradesJobLaunch schema() {
        return TradesJobLaunch.of(dir.resolve("job.jar"))
                .keyspace("it_launch_schema")
                .applySchema("SimpleStrategy:1");
    }

    private static JobSettings parse(TradesJobLaunch launch) {
        return JobSettings.parse(launch.arguments().toArray(String[]::new), Map.of());
    }
}
