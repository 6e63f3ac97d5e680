package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SinkTablesCheckTest {

    private static final String TRADES_ID = "5b6962dd-3f90-4c93-8f61-eabfa4a803e2";
    private static final String CANDLES_ID = "8c0f2a71-6d1e-4b8e-9a5c-0d3e7f1b2c4a";

    @TempDir
    Path checkpoints;

    private final Configuration hadoop = new Configuration();

    private static SinkTablesCheck.Tables ids(String trades, String candles) {
        return truncated(trades, candles, Map.of());
    }

    private static SinkTablesCheck.Tables truncated(String trades, String candles, Map<String, Long> truncatedAt) {
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put("crypto_trades", trades);
        ids.put("crypto_candles_1m", candles);
        return new SinkTablesCheck.Tables(ids, truncatedAt);
    }

    @Test
    void aNewCheckpointIsMarkedWithItsTablesAndWritesThemAgain() throws Exception {
        String checkpoint = checkpoints.resolve("trades").toString();
        SinkTablesCheck.checkpointWrote("spark_streaming", ids(TRADES_ID, CANDLES_ID), checkpoint, hadoop);

        assertThat(Files.readString(checkpoints.resolve("trades").resolve(SinkTablesCheck.MARKER)))
                .isEqualTo("keyspace=spark_streaming\ncrypto_trades.id=" + TRADES_ID + "\ncrypto_candles_1m.id="
                        + CANDLES_ID + "\ncrypto_trades.truncated-at=never\ncrypto_candles_1m.truncated-at=never\n");
        SinkTablesCheck.checkpointWrote("spark_streaming", ids(TRADES_ID, CANDLES_ID), checkpoint, hadoop);
    }

    @Test
    void anotherKeyspaceIsRefusedWithWhatToDo() throws Exception {
        String checkpoint = checkpoints.resolve("trades").toString();
        SinkTablesCheck.checkpointWrote("spark_streaming", ids(TRADES_ID, CANDLES_ID), checkpoint, hadoop);

        assertThatThrownBy(() ->
                        SinkTablesCheck.checkpointWrote("trades_v2", ids(TRADES_ID, CANDLES_ID), checkpoint, hadoop))
                .isInstanceOf(StartRefusedException.class)
                .hasMessageContaining("wrote its trades and candles to the keyspace 'spark_streaming', and the job"
                        + " now writes to 'trades_v2' (--keyspace)")
                .hasMessageContaining("Start with a new --checkpoint-location and --starting-offsets earliest")
                .hasMessageContaining("or write to 'spark_streaming' again");
    }

    @Test
    void aTableCreatedAgainIsRefusedWithWhatToDo() throws Exception {
        String checkpoint = checkpoints.resolve("trades").toString();
        SinkTablesCheck.checkpointWrote("spark_streaming", ids(TRADES_ID, CANDLES_ID), checkpoint, hadoop);
        String newCandles = "0e9d3a52-7b4c-4f1a-8e2d-6c5b4a3f2e1d";

        assertThatThrownBy(() -> SinkTablesCheck.checkpointWrote(
                        "spark_streaming", ids(TRADES_ID, newCandles), checkpoint, hadoop))
                .isInstanceOf(StartRefusedException.class)
                .hasMessageContaining("The table spark_streaming.crypto_candles_1m is not the one the checkpoint")
                .hasMessageContaining("Cassandra's id of it is " + newCandles)
                .hasMessageContaining("had " + CANDLES_ID)
                .hasMessageContaining("Start with a new --checkpoint-location and --starting-offsets earliest");
    }

    @Test
    void aTableTruncatedSinceIsRefusedWithWhatToDo() throws Exception {
        String checkpoint = checkpoints.resolve("trades").toString();
        long earlier = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
        long since = Instant.parse("2026-12-05T21:00:00Z").toEpochMilli();
        SinkTablesCheck.checkpointWrote(
                "spark_streaming",
                truncated(TRADES_ID, CANDLES_ID, Map.of("crypto_trades", earlier)),
                checkpoint,
                hadoop);
        assertThat(checkpoints.resolve("trades").resolve(SinkTablesCheck.MARKER))
                .content()
                .contains("crypto_trades.truncated-at=" + earlier + "\n");

        // the truncation recorded when the checkpoint began is no reason to refuse
        SinkTablesCheck.checkpointWrote(
                "spark_streaming",
                truncated(TRADES_ID, CANDLES_ID, Map.of("crypto_trades", earlier)),
                checkpoint,
                hadoop);
        assertThatThrownBy(() -> SinkTablesCheck.checkpointWrote(
                        "spark_streaming",
                        truncated(TRADES_ID, CANDLES_ID, Map.of("crypto_trades", since)),
                        checkpoint,
                        hadoop))
                .isInstanceOf(StartRefusedException.class)
                .hasMessageContaining("The table spark_streaming.crypto_trades was truncated at 2026-12-05T21:00:00Z,"
                        + " after the checkpoint " + checkpoint)
                .hasMessageContaining("last truncated at 2026-12-01T10:00:00Z")
                .hasMessageContaining("Start with a new --checkpoint-location and --starting-offsets earliest");
        assertThatThrownBy(() -> SinkTablesCheck.checkpointWrote(
                        "spark_streaming",
                        truncated(TRADES_ID, CANDLES_ID, Map.of("crypto_trades", earlier, "crypto_candles_1m", since)),
                        checkpoint,
                        hadoop))
                .isInstanceOf(StartRefusedException.class)
                .hasMessageContaining("The table spark_streaming.crypto_candles_1m was truncated at")
                .hasMessageContaining("it had never been truncated");
    }

    @Test
    void aMarkerWithAnUnreadableTruncationTimeIsRefusedWithWhatToDo() throws Exception {
        Path checkpoint = Files.createDirectories(checkpoints.resolve("trades"));
        Files.writeString(
                checkpoint.resolve(SinkTablesCheck.MARKER),
                "keyspace=spark_streaming\ncrypto_trades.id=" + TRADES_ID + "\ncrypto_candles_1m.id=" + CANDLES_ID
                        + "\ncrypto_trades.truncated-at=yesterday\ncrypto_candles_1m.truncated-at=never\n");

        assertThatThrownBy(() -> SinkTablesCheck.checkpointWrote(
                        "spark_streaming",
                        truncated(TRADES_ID, CANDLES_ID, Map.of("crypto_trades", 1L)),
                        checkpoint.toString(),
                        hadoop))
                .isInstanceOf(StartRefusedException.class)
                .hasMessageContaining("gives 'yesterday' as the last truncation of crypto_trades")
                .hasMessageContaining("Start with a new --checkpoint-location and --starting-offsets earliest");
    }

    @Test
    void aCheckpointWhoseMarkerPredatesTruncationTimesIsNotCheckedForThem() throws Exception {
        Path checkpoint = Files.createDirectories(checkpoints.resolve("trades"));
        Files.writeString(
                checkpoint.resolve(SinkTablesCheck.MARKER),
                "keyspace=spark_streaming\ncrypto_trades.id=" + TRADES_ID + "\ncrypto_candles_1m.id=" + CANDLES_ID
                        + "\n");

        SinkTablesCheck.checkpointWrote(
                "spark_streaming",
                truncated(TRADES_ID, CANDLES_ID, Map.of("crypto_trades", System.currentTimeMillis())),
                checkpoint.toString(),
                hadoop);
    }

    @Test
    void aCheckpointOfAnEarlierVersionGetsTheTablesItWritesNow() throws Exception {
        Path checkpoint = Files.createDirectories(checkpoints.resolve("trades"));
        Files.writeString(checkpoint.resolve(TradesTopicCheck.MARKER), "topic=crypto_trades\ntopic-id=x\n");

        SinkTablesCheck.checkpointWrote("spark_streaming", ids(TRADES_ID, CANDLES_ID), checkpoint.toString(), hadoop);

        assertThat(checkpoint.resolve(SinkTablesCheck.MARKER)).content().contains("crypto_trades.id=" + TRADES_ID);
        assertThat(checkpoint.resolve(TradesTopicCheck.MARKER)).content().contains("topic-id=x");
    }
}
