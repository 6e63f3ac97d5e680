package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.localstack.pipeline.DayJobLaunch;
import io.streamingpipeline.localstack.pipeline.TradesJobLaunch;
import io.streamingpipeline.spark.JobOption;
import io.streamingpipeline.spark.batch.DayJobSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What local-stack's day-job launcher passes is what the day jobs read: its commands are the job's, every option
 * name it can emit is one the job declares ({@link DayJobSettings#OPTIONS}), and the job's parser reads its
 * arguments back as the values the launcher meant. No engine: a unit test against the job's classes.
 */
class DayJobLaunchArgumentsTest {

    @TempDir
    Path dir;

    @Test
    void theLaunchersCommandsAreTheJobs() {
        assertThat(DayJobLaunch.COMMANDS)
                .containsExactlyElementsOf(Arrays.stream(DayJobSettings.Command.values())
                        .map(DayJobSettings.Command::label)
                        .toList());
        assertThatThrownBy(() -> DayJobLaunch.of(dir.resolve("job.jar"), "close", "2026-01-15"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("daily-close");
    }

    @Test
    void everyOptionTheLauncherCanPassIsOneTheJobDeclares() {
        List<String> declared =
                DayJobSettings.OPTIONS.stream().map(JobOption::name).toList();

        assertThat(Arrays.stream(DayJobLaunch.Option.values()).map(DayJobLaunch.Option::jobName))
                .allSatisfy(name ->
                        assertThat(declared).as("options of DayJobSettings").contains(name));
    }

    @Test
    void theJobParsesTheArgumentsToTheValuesSet() {
        DayJobLaunch launch = launch();
        DayJobSettings settings = DayJobSettings.parse(launch.arguments().toArray(String[]::new), Map.of());

        assertThat(settings.command()).isEqualTo(DayJobSettings.Command.REPLAY);
        assertThat(settings.day()).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(settings.kafkaMargin()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.connections().bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(settings.connections().topic()).isEqualTo("it_trades");
        assertThat(settings.connections().deadLetterTopic()).isEqualTo("it_trades_dlq");
        assertThat(settings.connections().cassandraHost()).isEqualTo("127.0.0.1");
        assertThat(settings.connections().cassandraPort()).isEqualTo(19042);
        assertThat(settings.connections().cassandraUsername()).contains("pipeline");
        assertThat(settings.connections().sparkConf())
                .containsEntry("spark.cassandra.connection.localDC", "datacenter1")
                .containsEntry("spark.cassandra.auth.password", "it-password");
        assertThat(settings.connections().keyspace()).isEqualTo("it_days");
        assertThat(settings.connections().kafkaClientOptions()).containsEntry("kafka.client.id", "it-days");
        assertThat(settings.opsDatabase())
                .hasValueSatisfying(ops -> assertThat(ops.toString())
                        .isEqualTo("jdbc:postgresql://127.0.0.1:15432/pipeline_ops as pipeline_ops (password ****)"));
    }

    /** A new option of the launcher fails here until the launch above passes it through the job's parser. */
    @Test
    void theLaunchAboveSetsEveryOptionOfTheLauncher() {
        assertThat(launch().arguments())
                .startsWith("replay")
                .containsAll(Arrays.stream(DayJobLaunch.Option.values())
                        .map(o -> "--" + o.jobName())
                        .toList())
                .endsWith("--kafka-option", "client.id=it-days");
    }

    private DayJobLaunch launch() {
        Path cassandraPassword = TradesJobLaunch.writePasswordFile("it-password", dir.resolve("cassandra-password"));
        Path opsPassword = TradesJobLaunch.writePasswordFile("it-ops-password", dir.resolve("ops-password"));
        return DayJobLaunch.of(dir.resolve("job.jar"), "replay", "2026-01-15")
                .bootstrapServers("127.0.0.1:19092")
                .topics("it_trades", "it_trades_dlq")
                .cassandra("127.0.0.1", 19042, "datacenter1", "pipeline", cassandraPassword)
                .keyspace("it_days")
                .kafkaMargin("30m")
                .ops("jdbc:postgresql://127.0.0.1:15432/pipeline_ops", "pipeline_ops", opsPassword)
                .passThrough(List.of("--kafka-option", "client.id=it-days"));
    }
}
