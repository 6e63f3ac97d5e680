package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.TradeContract.Fields;
import io.streamingpipeline.spark.health.PipelineMetrics;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * One micro-batch of the trade query (foreachBatch, on the driver): parse and validate the Kafka records, upsert
 * the valid trades, send the rejected ones to the dead-letter topic, count rejections and late trades.
 *
 * <p>Exactly-once in effect: Spark replays a batch that did not commit (same offsets, same records); the trade
 * table's key ends with the ingestor's id, so the replay rewrites the same rows. Dead letters are appended, so a
 * replayed batch can write a dead letter twice (at-least-once).
 */
public final class TradesBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger LOG = LoggerFactory.getLogger(TradesBatchWriter.class);

    private final Duration maxFutureSkew;
    private final BatchSink trades;
    private final String tradesSinkName;
    private final BatchSink deadLetters;
    private final String deadLettersSinkName;
    private final EventTimeWatermark watermark;
    private final PipelineMetrics metrics;
    private final LongSupplier clockMillis;

    public TradesBatchWriter(Duration maxFutureSkew, BatchSink trades, String tradesSinkName, BatchSink deadLetters,
                             String deadLettersSinkName, EventTimeWatermark watermark, PipelineMetrics metrics,
                             LongSupplier clockMillis) {
        this.maxFutureSkew = maxFutureSkew;
        this.trades = trades;
        this.tradesSinkName = tradesSinkName;
        this.deadLetters = deadLetters;
        this.deadLettersSinkName = deadLettersSinkName;
        this.watermark = watermark;
        this.metrics = metrics;
        this.clockMillis = clockMillis;
    }

    @Override
    public void call(Dataset<Row> kafkaRows, Long batchId) {
        long watermarkMillis = watermark.currentMillis();
        Dataset<Row> classified = TradeParsing.classify(kafkaRows, maxFutureSkew).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Column valid = col(TradeParsing.REJECT_REASON).isNull();
            List<Row> summary = classified.groupBy(col(TradeParsing.REJECT_REASON))
                    .agg(count(lit(1)).as("records"),
                            sum(when(valid.and(LateTrades.isLate(watermarkMillis)), 1).otherwise(0)).as("late"),
                            max(col(Fields.TIMESTAMP_UNIX)).as("max_time"))
                    .collectAsList();
            long validCount = 0;
            long late = 0;
            long maxTime = Long.MIN_VALUE;
            Map<String, Long> rejected = new HashMap<>();
            for (Row row : summary) {
                String reason = row.getString(0);
                if (reason == null) {
                    validCount = row.getLong(1);
                    late = row.getLong(2);
                    maxTime = row.isNullAt(3) ? maxTime : row.getLong(3);
                } else {
                    rejected.put(reason, row.getLong(1));
                }
            }
            long rejectedCount = rejected.values().stream().mapToLong(Long::longValue).sum();

            if (validCount > 0) {
                trades.write(TradeParsing.valid(classified).select(TradeColumns.ALL.stream().map(c -> col(c)).toArray(Column[]::new)));
            }
            if (rejectedCount > 0) {
                deadLetters.write(DeadLetters.records(TradeParsing.rejected(classified), clockMillis.getAsLong()));
            }

            metrics.written(tradesSinkName, validCount);
            metrics.written(deadLettersSinkName, rejectedCount);
            rejected.forEach(metrics::rejected);
            metrics.late(late);
            if (maxTime != Long.MIN_VALUE) {
                watermark.observe(maxTime);
            }
            if (rejectedCount > 0 || late > 0) {
                LOG.info("Batch {}: {} trades, {} rejected {}, {} late for their candle (watermark {})",
                        batchId, validCount, rejectedCount, rejected, late, watermarkMillis);
            }
        } finally {
            classified.unpersist();
        }
    }
}
