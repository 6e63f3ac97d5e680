package io.streamingpipeline.spark;

import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.id;
import static io.streamingpipeline.spark.TestTrades.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamingpipeline.spark.candles.Candle;
import io.streamingpipeline.spark.candles.InMemoryCandleStore;
import io.streamingpipeline.spark.candles.SourceTopic;
import io.streamingpipeline.spark.health.PipelineMetrics;
import io.streamingpipeline.spark.health.SkippedOffsets;
import io.streamingpipeline.spark.health.TestProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** One trade batch on a static frame: trades, candles and dead letters written, and counted. */
class TradesBatchWriterTest {

    private final SparkSession spark = LocalSpark.session();
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final List<Row> deadLetters = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryCandleStore candles = new InMemoryCandleStore();
    private final SkippedOffsets skippedOffsets = new SkippedOffsets("crypto_trades", metrics);

    private final Dataset<Row> batch = asKafka(
            0,
            List.of(
                    trade(id(1), "A", 100, 1, T0 + 1_000),
                    trade(id(2), "A", 101, 2, T0 + 2_000),
                    trade(id(3), "B", -5, 1, T0 + 3_000),
                    "not json"));

    @Test
    void writesAndCountsTradesCandlesAndDeadLetters() throws Exception {
        List<Row> written = Collections.synchronizedList(new ArrayList<>());
        writer(rows -> written.addAll(rows.collectAsList())).call(batch, 1L);

        assertThat(written).hasSize(2);
        assertCounts();
        Candle a = candles.candles().get(0);
        assertThat(candles.candles()).hasSize(1);
        assertThat(a.symbol()).isEqualTo("A");
        assertThat(a.tradeCount()).isEqualTo(2);
        assertThat(a.open()).isEqualTo(100);
        assertThat(a.close()).isEqualTo(101);
        assertThat(metrics.rowsWrittenBySink()).containsEntry("crypto_candles_1m", 1L);
        assertThat(metrics.writeTimeBySink())
                .containsOnlyKeys("crypto_trades", "crypto_candles_1m", "crypto_trades_dlq");
        assertThat(metrics.writeTimeBySink().values()).allSatisfy(t -> {
            assertThat(t.batches()).isEqualTo(1);
            assertThat(t.nanos()).isPositive();
        });
    }

    @Test
    void aReplayedBatchRewritesItsTradesButDoesNotCountThemTwiceInTheirCandle() throws Exception {
        List<Row> written = Collections.synchronizedList(new ArrayList<>());
        TradesBatchWriter writer = writer(rows -> written.addAll(rows.collectAsList()));
        writer.call(batch, 7L);
        writer.call(asKafka(4, List.of(trade(id(4), "A", 99, 1, T0 + 500))), 8L);
        writer.call(asKafka(4, List.of(trade(id(4), "A", 99, 1, T0 + 500))), 8L); // the same batch again

        assertThat(written).hasSize(4);
        Candle a = candles.candles().get(0);
        assertThat(a.tradeCount()).isEqualTo(3);
        assertThat(a.volume()).isEqualTo(4);
        assertThat(a.open()).isEqualTo(99);
        assertThat(metrics.rowsWrittenBySink()).containsEntry("crypto_candles_1m", 2L);
    }

    @Test
    void aNewCheckpointReadingTheTopicAgainCountsOnlyTheTradesTheCandlesDoNotHold() throws Exception {
        List<String> records = List.of(
                trade(id(1), "A", 100, 1, T0 + 1_000),
                trade(id(2), "A", 101, 2, T0 + 2_000),
                trade(id(3), "A", 99, 1, T0 + 500),
                trade(id(4), "A", 103, 1, T0 + 59_000));
        TradesBatchWriter writer = writer(rows -> rows.collectAsList());
        writer.call(asKafka(0, records.subList(0, 2)), 1L);
        // a new checkpoint from earliest: its first batch holds the same two records (offsets 0, 1) and two new ones
        writer.call(asKafka(0, records), 0L);

        assertThat(candles.candles()).singleElement().satisfies(c -> {
            assertThat(c.tradeCount()).isEqualTo(4);
            assertThat(c.volume()).isEqualTo(5);
            assertThat(c.open()).isEqualTo(99);
            assertThat(c.close()).isEqualTo(103);
            assertThat(c.vwap()).isCloseTo((100 + 202 + 99 + 103) / 5.0, within(1e-12));
        });
        assertThat(candles.merged().get(0).mergedOffsets()).containsExactly(Map.entry("crypto_trades-0", 3L));
    }

    @Test
    void offsetsOfTheBatchWithoutARecordAreCountedAsSkipped() throws Exception {
        // records Kafka deleted before the job read them: the batch covers offsets 2 to 6, the source read 5 and 6
        writer(rows -> rows.collectAsList()).call(asKafka(5, List.of(trade(id(1), "A", 100, 1, T0 + 1_000), "x")), 3L);
        skippedOffsets.progress(TestProgress.kafkaBatch(
                TradesBatchWriter.NO_QUERY, 3, "{\"crypto_trades\":{\"0\":2}}", "{\"crypto_trades\":{\"0\":7}}"));

        assertThat(metrics.offsetsSkipped()).isEqualTo(3);
    }

    @Test
    void aWriteTaskThatFailsAndRunsAgainIsCountedOnce() throws Exception {
        // each partition's first attempt reads all its rows, then fails; the second attempt succeeds
        List<Row> written = Collections.synchronizedList(new ArrayList<>());
        writer(rows -> written.addAll(rows.mapPartitions(
                                (MapPartitionsFunction<Row, Row>) partition -> {
                                    List<Row> read = new ArrayList<>();
                                    partition.forEachRemaining(read::add);
                                    if (TaskContext.get().attemptNumber() == 0) {
                                        throw new IllegalStateException("injected failure of a write task");
                                    }
                                    return read.iterator();
                                },
                                Encoders.row(rows.schema()))
                        .collectAsList()))
                .call(batch, 2L);

        assertThat(written).hasSize(2);
        assertCounts();
        assertThat(candles.candles())
                .singleElement()
                .satisfies(c -> assertThat(c.tradeCount()).isEqualTo(2));
        skippedOffsets.progress(TestProgress.kafkaBatch(
                TradesBatchWriter.NO_QUERY, 2, "{\"crypto_trades\":{\"0\":0}}", "{\"crypto_trades\":{\"0\":4}}"));
        assertThat(metrics.offsetsSkipped())
                .as("the four records read once each")
                .isZero();
    }

    @Test
    void laterBatchesRunWithoutCompilingNewCode() throws Exception {
        // every batch has new record times and a new Kafka time; if one reached the generated code as a literal
        // (as current_timestamp() would), Spark would compile new code for each micro-batch (seen in a profile: a
        // quarter of the driver's time)
        TradesBatchWriter writer = writer(rows -> rows.collectAsList());
        writer.call(
                LocalSpark.kafkaRows(
                        T0 + 100_000, trade(id(1), "A", 100, 1, T0 + 1_000), trade(id(2), "A", 101, 2, T0 + 90_000)),
                1L);
        long compiled = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();

        writer.call(
                LocalSpark.kafkaRows(
                        T0 + 200_000,
                        2,
                        trade(id(3), "A", 102, 1, T0 + 61_000),
                        trade(id(4), "B", 103, 2, T0 + 190_000)),
                2L);

        assertThat(candles.candles()).hasSize(3);
        assertThat(CodegenMetrics.METRIC_COMPILATION_TIME().getCount()).isEqualTo(compiled);
    }

    private void assertCounts() {
        assertThat(metrics.rowsWrittenBySink())
                .containsEntry("crypto_trades", 2L)
                .containsEntry("crypto_trades_dlq", 2L);
        assertThat(metrics.rejectedByReason())
                .containsEntry("invalid_price", 1L)
                .containsEntry("malformed_json", 1L);
        assertThat(deadLetters).hasSize(2);
    }

    private TradesBatchWriter writer(BatchSink trades) {
        return new TradesBatchWriter(
                Duration.ofHours(1),
                SourceTopic.named("crypto_trades"),
                trades,
                "crypto_trades",
                candles,
                "crypto_candles_1m",
                rows -> deadLetters.addAll(rows.collectAsList()),
                "crypto_trades_dlq",
                metrics,
                skippedOffsets,
                () -> 42L);
    }

    /** Records of Kafka partition 0 from {@code firstOffset} on. */
    private Dataset<Row> asKafka(long firstOffset, List<String> values) {
        return LocalSpark.kafkaRows(T0 + 3_600_000, firstOffset, values.toArray(String[]::new));
    }
}
