package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamingpipeline.contract.CassandraSchema.Replication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSettingsTest {

    private static final String[] MINIMAL = {"--bootstrap-servers", "kafka:9092", "--checkpoint-location", "/cp"};

    private static JobSettings parse(String... args) {
        return JobSettings.parse(args, Map.of());
    }

    private static String[] with(String... more) {
        String[] all = new String[MINIMAL.length + more.length];
        System.arraycopy(MINIMAL, 0, all, 0, MINIMAL.length);
        System.arraycopy(more, 0, all, MINIMAL.length, more.length);
        return all;
    }

    @Test
    void defaultsAreSane() {
        JobSettings s = parse(MINIMAL);
        assertThat(s.command()).isEqualTo(JobSettings.Command.RUN);
        assertThat(s.topic()).isEqualTo("crypto_trades");
        assertThat(s.deadLetterTopic()).isEqualTo("crypto_trades_dlq");
        assertThat(s.startingOffsets()).isEqualTo("earliest");
        assertThat(s.maxOffsetsPerTrigger()).isEqualTo(100_000);
        assertThat(s.failOnDataLoss()).isTrue();
        assertThat(s.triggerInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.keyspace()).isEqualTo("spark_streaming");
        assertThat(s.cassandraHost()).isEqualTo("127.0.0.1");
        assertThat(s.cassandraPort()).isEqualTo(9042);
        assertThat(s.replication()).isEqualTo(Replication.simple(1));
        assertThat(s.healthPort()).isEqualTo(8090);
        assertThat(s.healthBindAddress()).isEqualTo("0.0.0.0");
        assertThat(s.kafkaSourceOptions())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "kafka.bootstrap.servers",
                        "kafka:9092",
                        "subscribe",
                        "crypto_trades",
                        "startingOffsets",
                        "earliest",
                        "failOnDataLoss",
                        "true",
                        "maxOffsetsPerTrigger",
                        "100000",
                        "kafka.max.poll.records",
                        "10000"));
        assertThat(s.sparkConf())
                .containsEntry("spark.cassandra.connection.host", "127.0.0.1")
                .containsEntry("spark.cassandra.connection.port", "9042")
                .containsEntry("spark.sql.session.timeZone", "UTC")
                .doesNotContainKey("spark.cassandra.auth.username");
    }

    @Test
    void aMissingCheckpointLocationSaysWhatToSet() {
        InvalidSettingsException e =
                catchThrowableOfType(InvalidSettingsException.class, () -> parse("--bootstrap-servers", "kafka:9092"));
        assertThat(e.problems())
                .singleElement()
                .asString()
                .startsWith("--checkpoint-location is required")
                .contains("--checkpoint-location <value>", "--conf spark.trades.checkpoint-location=<value>");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidSettingsException e = catchThrowableOfType(
                InvalidSettingsException.class,
                () -> parse(
                        "--trigger-interval",
                        "soon",
                        "--starting-offsets",
                        "yesterday",
                        "--cassandra-port",
                        "99999",
                        "--bogus",
                        "1",
                        "--max-future-skew",
                        "-5s"));
        assertThat(e.problems()).hasSize(7); // bootstrap servers and checkpoint missing, plus the five above
        assertThat(e.getMessage())
                .contains("--bootstrap-servers is required")
                .contains("--trigger-interval must be a duration such as 500ms, 10s, 5m, 2h or 30d, was 'soon'")
                .contains("--starting-offsets must be earliest, latest, or a JSON map")
                .contains("--cassandra-port must be a port 1-65535, was '99999'")
                .contains("unknown option --bogus")
                .contains("--max-future-skew must be a duration");
    }

    @Test
    void argumentsWinOverConfAndConfOverDefaults() {
        Map<String, String> conf = Map.of(
                "spark.trades.checkpoint-location", "s3a://bucket/cp",
                "spark.trades.bootstrap-servers", "conf:9092",
                "spark.cassandra.connection.host", "cassandra-0.cassandra,cassandra-1.cassandra",
                "spark.trades.kafka-option.security.protocol", "SSL");
        JobSettings s = JobSettings.parse(
                new String[] {
                    "--bootstrap-servers=arg:9092",
                    "--max-offsets-per-trigger",
                    "0",
                    "--kafka-option",
                    "client.rack=a",
                    "--kafka-option",
                    "max.poll.records=500"
                },
                conf);
        assertThat(s.bootstrapServers()).isEqualTo("arg:9092");
        assertThat(s.checkpointLocation()).isEqualTo("s3a://bucket/cp");
        assertThat(s.cassandraHost()).isEqualTo("cassandra-0.cassandra,cassandra-1.cassandra");
        assertThat(s.kafkaSourceOptions())
                .doesNotContainKey("maxOffsetsPerTrigger")
                .containsEntry("kafka.security.protocol", "SSL")
                .containsEntry("kafka.client.rack", "a")
                .containsEntry("kafka.max.poll.records", "500");
    }

    @Test
    void theRemovedCandleQueryOptionsAreRefusedByName() {
        // the candle query and its watermark are gone (candles are merged per trade batch): say so, not run without
        // them
        InvalidSettingsException e = catchThrowableOfType(
                InvalidSettingsException.class,
                () -> parse(with("--watermark", "30s", "--candles-trigger-interval", "10s")));
        assertThat(e.getMessage()).contains("unknown option --watermark", "unknown option --candles-trigger-interval");
    }

    @Test
    void theConnectorsOwnCredentialKeysAreHonouredAndThePasswordIsNeverShown() {
        JobSettings s = JobSettings.parse(
                MINIMAL,
                Map.of("spark.cassandra.auth.username", "pipeline", "spark.cassandra.auth.password", "s3cret-pw"));
        assertThat(s.cassandraUsername()).contains("pipeline");
        assertThat(s.sparkConf()).containsEntry("spark.cassandra.auth.password", "s3cret-pw");
        assertThat(s.toString()).contains("pipeline").contains("****").doesNotContain("s3cret-pw");
    }

    @Test
    void thePasswordCanComeFromAFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "from-file\n");
        JobSettings s = parse(with("--cassandra-username", "u", "--cassandra-password-file", file.toString()));
        assertThat(s.sparkConf()).containsEntry("spark.cassandra.auth.password", "from-file");
        assertThat(s.toString()).doesNotContain("from-file");

        assertThatThrownBy(() -> parse(with(
                        "--cassandra-username",
                        "u",
                        "--cassandra-password-file",
                        dir.resolve("none").toString())))
                .hasMessageContaining("--cassandra-password-file cannot be read");
    }

    @Test
    void aUserWithoutPasswordIsRefusedAndABadPasswordIsNotEchoed() {
        assertThatThrownBy(() -> parse(with("--cassandra-username", "u")))
                .hasMessageContaining("--cassandra-username and a password");
        assertThatThrownBy(() -> parse(with("--cassandra-password", "only-a-password")))
                .isInstanceOf(InvalidSettingsException.class)
                .message()
                .doesNotContain("only-a-password");
    }

    @Test
    void theSchemaCommandNeedsNeitherKafkaNorACheckpoint() {
        JobSettings s = parse(
                "--apply-schema",
                "--replication",
                "NetworkTopologyStrategy:dc1=3,dc2=2",
                "--trades-ttl",
                "7d",
                "--candles-ttl",
                "0",
                "--keyspace",
                "market_data");
        assertThat(s.command()).isEqualTo(JobSettings.Command.APPLY_SCHEMA);
        assertThat(s.replication()).isEqualTo(Replication.networkTopology(Map.of("dc1", 3, "dc2", 2)));
        assertThat(s.tradesTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(s.candlesTtl()).isZero();
        assertThat(SchemaCommand.statements(s).get(0)).contains("CREATE KEYSPACE IF NOT EXISTS market_data");
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> parse(with("--replication", "Simple")))
                .hasMessageContaining("replication must look like SimpleStrategy:1");
        assertThatThrownBy(() -> parse(with("--keyspace", "drop table x"))).hasMessageContaining("--keyspace must be");
        assertThatThrownBy(() -> parse(with("--bootstrap-servers", "kafka")))
                .hasMessageContaining("--bootstrap-servers must be host:port");
        assertThatThrownBy(() -> parse(with("--dead-letter-topic", "crypto_trades")))
                .hasMessageContaining("must differ from --topic");
        assertThatThrownBy(() -> parse(with("--trigger-interval", "0s"))).hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> parse(with("--fail-on-data-loss", "maybe")))
                .hasMessageContaining("--fail-on-data-loss must be true or false");
        assertThatThrownBy(() -> parse(with("--topic"))).hasMessageContaining("--topic needs a value");
    }

    @Test
    void durationsInSeveralSpellings() {
        assertThat(OptionParsers.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(OptionParsers.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(OptionParsers.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(OptionParsers.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(OptionParsers.duration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(OptionParsers.duration("PT1M")).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void helpListsEveryOption() {
        assertThat(parse("--help").command()).isEqualTo(JobSettings.Command.HELP);
        String usage = JobSettings.usage();
        JobSettings.OPTIONS.forEach(o -> assertThat(usage).contains("--" + o.name()));
    }

    @Test
    void helpGivesEachOptionItsConfKeysAndDefaultOnItsOwnLine() {
        List<String> lines = JobSettings.usage().lines().toList();
        assertThat(JobSettings.OPTIONS).hasSize(26);
        for (JobOption<?> option : JobSettings.OPTIONS) {
            String line = lines.stream()
                    .filter(l -> l.startsWith("  --" + option.name() + " "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no line for --" + option.name()));
            assertThat(line).contains(option.help());
            if (option.defaultValue() != null) {
                assertThat(line).contains("Default: " + option.defaultValue() + ".");
            }
            if (option.kind() != JobOption.Kind.FLAG) {
                assertThat(line).contains("Conf: spark.trades." + option.name());
                option.confAliases().forEach(alias -> assertThat(line).contains(alias));
            }
        }
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("  --topic <value>")
                        .contains("Default: crypto_trades.", "Conf: spark.trades.topic."))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("  --cassandra-host <value>")
                        .contains(
                                "Default: 127.0.0.1.", "spark.trades.cassandra-host, spark.cassandra.connection.host"));
    }

    @Test
    void everyDeclaredOptionIsReadAndShownWithoutItsSecret() {
        JobSettings s = parse(with("--cassandra-username", "u", "--cassandra-password", "pw-never-shown"));
        String shown = s.toString();
        JobSettings.OPTIONS.stream()
                .filter(o -> o.kind() != JobOption.Kind.FLAG)
                .forEach(o -> assertThat(shown).contains(o.name() + "="));
        assertThat(shown).contains("cassandra-password=****").doesNotContain("pw-never-shown");
    }
}
