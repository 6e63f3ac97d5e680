package io.streamingpipeline.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.streamingpipeline.spark.candles.CandleStore;
import io.streamingpipeline.spark.candles.Candles;
import io.streamingpipeline.spark.candles.MergedCandle;
import io.streamingpipeline.spark.candles.SourceCandle;
import io.streamingpipeline.spark.candles.SourceTopic;
import io.streamingpipeline.spark.health.PipelineMetrics;
import io.streamingpipeline.spark.health.SkippedOffsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One micro-batch of the trade query (foreachBatch, on the driver): parse and validate the Kafka records, upsert
 * the valid trades, merge them into their one-minute candles, send the rejected ones to the dead-letter topic, count
 * rejections.
 *
 * <p>Exactly-once in effect: Spark replays a batch that did not commit (same offsets, same records); the trade
 * table's key ends with the ingestor's id, so the replay rewrites the same rows, and a candle takes only the trades
 * above its stored Kafka offsets ({@link Candles#mergeInto}), whichever checkpoint or driver reads them. Dead letters
 * are appended, so a replayed batch can write a dead letter twice (at-least-once).
 */
public final class TradesBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger LOG = LoggerFactory.getLogger(TradesBatchWriter.class);
    /** The local property Spark sets, on the thread that runs a streaming query's batches, to the query's id. */
    private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";
    /** The query id of a batch written outside a streaming query (a test, a backfill). */
    static final UUID NO_QUERY = new UUID(0, 0);

    private final Duration maxFutureSkew;
    private final SourceTopic topic;
    private final BatchSink trades;
    private final String tradesSinkName;
    private final CandleStore candles;
    private final String candlesSinkName;
    private final BatchSink deadLetters;
    private final String deadLettersSinkName;
    private final PipelineMetrics metrics;
    private final SkippedOffsets skippedOffsets;
    private final LongSupplier clockMillis;

    /** @param topic the Kafka topic the batches come from: candles keep how far they merged each of its partitions */
    public TradesBatchWriter(
            Duration maxFutureSkew,
            SourceTopic topic,
            BatchSink trades,
            String tradesSinkName,
            CandleStore candles,
            String candlesSinkName,
            BatchSink deadLetters,
            String deadLettersSinkName,
            PipelineMetrics metrics,
            SkippedOffsets skippedOffsets,
            LongSupplier clockMillis) {
        this.maxFutureSkew = maxFutureSkew;
        this.topic = topic;
        this.trades = trades;
        this.tradesSinkName = tradesSinkName;
        this.candles = FaultInjection.candleStore(candles);
        this.candlesSinkName = candlesSinkName;
        this.deadLetters = deadLetters;
        this.deadLettersSinkName = deadLettersSinkName;
        this.metrics = metrics;
        this.skippedOffsets = skippedOffsets;
        this.clockMillis = clockMillis;
    }

    @Override
    public void call(Dataset<Row> kafkaRows, Long batchId) {
        String queryId = kafkaRows.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
        UUID query = queryId == null ? NO_QUERY : UUID.fromString(queryId);
        // One job reads, checks and writes the records, and tallies them as it goes: the batch is read from Kafka
        // once, and nothing is cached.
        BatchTally.Accumulator tallied =
                BatchTally.register(kafkaRows.sparkSession().sparkContext());
        long started = System.nanoTime();
        trades.write(TradeParsing.trades(kafkaRows, maxFutureSkew, tallied));
        BatchTally tally = tallied.value();
        skippedOffsets.read(query, batchId, tally.readByPartition());
        long tradesWritten = System.nanoTime();
        metrics.writeTook(tradesSinkName, tradesWritten - started);
        // after the trades: a candle never holds a trade that the trade table does not
        List<MergedCandle> candlesWritten = Candles.mergeInto(
                candles, tally.candles(), topic, straddling -> tradesAbove(kafkaRows, straddling), query, batchId);
        metrics.writeTook(candlesSinkName, System.nanoTime() - tradesWritten);
        FaultInjection.afterCandlesOf(batchId);
        long rejectedCount = tally.rejectedCount();
        if (rejectedCount > 0) {
            // rare: the batch is read from Kafka a second time, for its rejected records
            long deadLettersStarted = System.nanoTime();
            deadLetters.write(DeadLetters.records(
                    TradeParsing.rejected(TradeParsing.classify(kafkaRows, maxFutureSkew)), clockMillis.getAsLong()));
            metrics.writeTook(deadLettersSinkName, System.nanoTime() - deadLettersStarted);
        }

        metrics.written(tradesSinkName, tally.validCount());
        metrics.written(candlesSinkName, candlesWritten.size());
        metrics.written(deadLettersSinkName, rejectedCount);
        tally.rejectedByReason().forEach(metrics::rejected);
        if (rejectedCount > 0) {
            LOG.info(
                    "Batch {}: {} trades, {} rejected {}",
                    batchId,
                    tally.validCount(),
                    rejectedCount,
                    tally.rejectedByReason());
        }
    }

    /**
     * The candles of the batch's trades of these candles and partitions above the given offsets: a second pass over
     * the batch's records, for the rare batch whose trades a stored candle holds only in part (a new checkpoint
     * reading again what an earlier one merged). Only the straddled partitions' offset ranges are checked again.
     */
    private Map<SourceCandle.Key, SourceCandle> tradesAbove(
            Dataset<Row> kafkaRows, Map<SourceCandle.Key, Long> straddling) {
        Map<Integer, Long> lowestByPartition = new TreeMap<>();
        straddling.forEach((key, offset) -> lowestByPartition.merge(key.partition(), offset, Math::min));
        Column above = lit(false);
        for (Map.Entry<Integer, Long> e : lowestByPartition.entrySet()) {
            above = above.or(
                    col("partition").equalTo(e.getKey()).and(col("offset").gt(e.getValue())));
        }
        LOG.info(
                "Candles held in part by earlier merges: {} of them, checking again the records above offsets {}",
                straddling.size(),
                lowestByPartition);
        BatchTally.Accumulator tallied =
                BatchTally.register(kafkaRows.sparkSession().sparkContext(), straddling);
        // an action without a shuffle, as for the trades: the accumulator is merged once per partition
        TradeParsing.trades(kafkaRows.filter(above), maxFutureSkew, tallied)
                .foreachPartition((ForeachPartitionFunction<Row>) rows -> rows.forEachRemaining(row -> {}));
        return tallied.value().candles().stream().collect(Collectors.toMap(SourceCandle::key, c -> c));
    }
}
