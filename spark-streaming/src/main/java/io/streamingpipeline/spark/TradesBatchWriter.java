package io.streamingpipeline.spark;

import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.spark.candles.CandleStore;
import io.streamingpipeline.spark.candles.Candles;
import io.streamingpipeline.spark.candles.MergedCandle;
import io.streamingpipeline.spark.health.PipelineMetrics;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.Observation;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * One micro-batch of the trade query (foreachBatch, on the driver): parse and validate the Kafka records, upsert
 * the valid trades, merge them into their one-minute candles, send the rejected ones to the dead-letter topic, count
 * rejections.
 *
 * <p>Exactly-once in effect: Spark replays a batch that did not commit (same offsets, same records); the trade
 * table's key ends with the ingestor's id, so the replay rewrites the same rows, and a candle that already holds the
 * batch is not merged again ({@link Candles#mergeInto}). Dead letters are appended, so a replayed batch can write a
 * dead letter twice (at-least-once).
 */
public final class TradesBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger LOG = LoggerFactory.getLogger(TradesBatchWriter.class);
    private static final String VALID = "valid";
    /** The local property Spark sets, on the thread that runs a streaming query's batches, to the query's id. */
    private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";
    /** The query id of a batch written outside a streaming query (a test, a backfill). */
    static final UUID NO_QUERY = new UUID(0, 0);

    private final Duration maxFutureSkew;
    private final BatchSink trades;
    private final String tradesSinkName;
    private final CandleStore candles;
    private final String candlesSinkName;
    private final BatchSink deadLetters;
    private final String deadLettersSinkName;
    private final PipelineMetrics metrics;
    private final LongSupplier clockMillis;
    private final Duration observationTimeout;

    public TradesBatchWriter(Duration maxFutureSkew, BatchSink trades, String tradesSinkName, CandleStore candles,
                             String candlesSinkName, BatchSink deadLetters, String deadLettersSinkName,
                             PipelineMetrics metrics, LongSupplier clockMillis) {
        this(maxFutureSkew, trades, tradesSinkName, candles, candlesSinkName, deadLetters, deadLettersSinkName, metrics,
                clockMillis, ObservedCounts.DEFAULT_TIMEOUT);
    }

    TradesBatchWriter(Duration maxFutureSkew, BatchSink trades, String tradesSinkName, CandleStore candles,
                      String candlesSinkName, BatchSink deadLetters, String deadLettersSinkName, PipelineMetrics metrics,
                      LongSupplier clockMillis, Duration observationTimeout) {
        this.maxFutureSkew = maxFutureSkew;
        this.trades = trades;
        this.tradesSinkName = tradesSinkName;
        this.candles = candles;
        this.candlesSinkName = candlesSinkName;
        this.deadLetters = deadLetters;
        this.deadLettersSinkName = deadLettersSinkName;
        this.metrics = metrics;
        this.clockMillis = clockMillis;
        this.observationTimeout = observationTimeout;
    }

    @Override
    public void call(Dataset<Row> kafkaRows, Long batchId) throws InterruptedException {
        String queryId = kafkaRows.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
        // Cached: the rare batch with rejected records reads them again for the dead-letter topic, and a second
        // read of the source would count the batch's records twice in Spark's input-row metrics.
        Dataset<Row> classified = TradeParsing.classify(kafkaRows, maxFutureSkew)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            write(classified, batchId, queryId == null ? NO_QUERY : UUID.fromString(queryId));
        } finally {
            classified.unpersist();
        }
    }

    private void write(Dataset<Row> classified, long batchId, UUID queryId) throws InterruptedException {
        // The batch's counts are computed while its trades are written (Dataset.observe), not by a job of their own:
        // one Spark job per batch instead of two keeps the micro-batch short.
        Observation summary = new Observation("trades_batch_" + batchId + "_" + System.nanoTime());
        Column[] counts = summaryColumns();
        Column[] more = Arrays.copyOfRange(counts, 1, counts.length);
        Dataset<Row> observed = classified.observe(summary, counts[0], more);
        trades.write(TradeParsing.valid(observed));
        // after the trades (a candle never holds a trade the trade table does not), from the cached batch: the
        // records are read from Kafka and parsed once for both
        List<MergedCandle> candlesWritten =
                Candles.mergeInto(candles, Candles.of(TradeParsing.valid(classified)), queryId, batchId);
        Map<String, Object> summed = awaitCounts(summary, batchId);
        if (summed == null) {
            summed = asMap(classified.agg(counts[0], more).first());
        }

        long validCount = ObservedCounts.asLong(summed.get(VALID));
        Map<String, Long> rejected = new TreeMap<>();
        for (RejectReason reason : RejectReason.values()) {
            long n = ObservedCounts.asLong(summed.get(reason.label()));
            if (n > 0) {
                rejected.put(reason.label(), n);
            }
        }
        long rejectedCount = rejected.values().stream().mapToLong(Long::longValue).sum();
        if (rejectedCount > 0) {
            deadLetters.write(DeadLetters.records(TradeParsing.rejected(classified), clockMillis.getAsLong()));
        }

        metrics.written(tradesSinkName, validCount);
        metrics.written(candlesSinkName, candlesWritten.size());
        metrics.written(deadLettersSinkName, rejectedCount);
        rejected.forEach(metrics::rejected);
        if (rejectedCount > 0) {
            LOG.info("Batch {}: {} trades, {} rejected {}", batchId, validCount, rejectedCount, rejected);
        }
    }

    /** The observed counts of the write, or null if they did not arrive in time (then counted by a job). */
    private Map<String, Object> awaitCounts(Observation summary, long batchId) throws InterruptedException {
        Map<String, Object> counts = ObservedCounts.await(summary, observationTimeout);
        if (counts == null) {
            LOG.warn("Batch {}: the write's counts did not arrive within {} s (Spark's listener bus is behind); "
                    + "counting with a separate job", batchId, observationTimeout.toMillis() / 1000.0);
        }
        return counts;
    }

    private static Map<String, Object> asMap(Row row) {
        Map<String, Object> map = new HashMap<>();
        String[] names = row.schema().fieldNames();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], row.get(i));
        }
        return map;
    }

    /** Valid trades and the rejected records by reason. */
    private static Column[] summaryColumns() {
        Column reason = col(TradeParsing.REJECT_REASON);
        Column valid = reason.isNull();
        List<Column> columns = new ArrayList<>();
        columns.add(sum(when(valid, 1L).otherwise(0L)).as(VALID));
        for (RejectReason r : RejectReason.values()) {
            columns.add(sum(when(reason.equalTo(r.label()), 1L).otherwise(0L)).as(r.label()));
        }
        return columns.toArray(Column[]::new);
    }

}
