package io.streamingpipeline.spark.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.spark.InvalidSettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DayJobSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theInterfaceTheDagsUse() throws IOException {
        Path opsPassword = Files.writeString(dir.resolve("ops"), "s3cret-ops\n");
        Path cassandraPassword = Files.writeString(dir.resolve("cass"), "s3cret-cass\n");
        DayJobSettings s = DayJobSettings.parse(
                new String[] {
                    "daily-close",
                    "--day",
                    "2026-01-15",
                    "--bootstrap-servers",
                    "kafka:9092",
                    "--cassandra-host",
                    "cassandra",
                    "--cassandra-username",
                    "pipeline",
                    "--cassandra-password-file",
                    cassandraPassword.toString(),
                    "--ops-jdbc-url",
                    "jdbc:postgresql://postgres:5432/pipeline_ops",
                    "--ops-user",
                    "pipeline_ops",
                    "--ops-password-file",
                    opsPassword.toString()
                },
                Map.of());

        assertThat(s.command()).isEqualTo(DayJobSettings.Command.DAILY_CLOSE);
        assertThat(s.day()).isEqualTo(LocalDate.of(2026, 1, 15));
        assertThat(s.kafkaMargin()).isEqualTo(Duration.ofHours(1));
        assertThat(s.connections().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(s.connections().cassandraHost()).isEqualTo("cassandra");
        assertThat(s.connections().hasCassandraPassword()).isTrue();
        assertThat(s.opsDatabase()).isPresent();
        assertThat(s.toString()).doesNotContain("s3cret");
    }

    @Test
    void rollupsNeedNoPostgres() {
        DayJobSettings s = DayJobSettings.parse(
                new String[] {
                    "rollups", "--day=2026-01-15", "--bootstrap-servers", "127.0.0.1:9092", "--kafka-margin", "30m"
                },
                Map.of());
        assertThat(s.opsDatabase()).isEmpty();
        assertThat(s.kafkaMargin()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void everyProblemAtOnce() {
        assertThatThrownBy(() -> DayJobSettings.parse(
                        new String[] {
                            "replay",
                            "--day",
                            "15.01.2026",
                            "--ops-jdbc-url",
                            "jdbc:mysql://x/y",
                            "--cassandra-port",
                            "x",
                            "--bogus",
                            "1"
                        },
                        Map.of()))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("--day must be a date YYYY-MM-DD, was '15.01.2026'")
                .hasMessageContaining("--ops-jdbc-url must be a PostgreSQL JDBC URL")
                .hasMessageContaining("--ops-user is required")
                .hasMessageContaining("--ops-password-file is required")
                .hasMessageContaining("--cassandra-port must be a port")
                .hasMessageContaining("unknown option --bogus")
                .hasMessageContaining("--bootstrap-servers is required");
        assertThatThrownBy(() ->
                        DayJobSettings.parse(new String[] {"daily-close", "--bootstrap-servers", "k:9092"}, Map.of()))
                .hasMessageContaining("--day is required")
                .hasMessageContaining("--ops-jdbc-url is required by daily-close");
        assertThatThrownBy(() -> DayJobSettings.parse(new String[] {"close"}, Map.of()))
                .hasMessageContaining("unknown command 'close'");
    }

    @Test
    void helpForAllAndForEachCommand() {
        assertThat(DayJobSettings.parse(new String[] {"--help"}, Map.of()).help())
                .isTrue();
        DayJobSettings replayHelp = DayJobSettings.parse(new String[] {"replay", "--help"}, Map.of());
        assertThat(replayHelp.help()).isTrue();
        assertThat(DayJobSettings.usage(null)).contains("daily-close", "rollups", "replay");
        assertThat(DayJobSettings.usage(replayHelp.command()))
                .contains("--day", "--ops-jdbc-url", "--bootstrap-servers", "--cassandra-password-file");
        assertThat(DayJobSettings.usage(DayJobSettings.Command.ROLLUPS)).doesNotContain("--ops-jdbc-url");
    }
}
