package io.streamingpipeline.spark;

import io.streamingpipeline.spark.health.PipelineMetrics;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/**
 * One micro-batch of the candle query (update output mode): the candles that changed in this batch, each with its
 * whole state so far, upserted by {@code (symbol, day, minute_start)}. A replayed batch recomputes the same
 * candles from the checkpointed state and rewrites them.
 *
 * <p>The stateful aggregation runs once, in the write; the number of rows written is observed on the way
 * ({@code Dataset.observe}), not counted by a second job over a cached copy.
 */
public final class CandlesBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger LOG = LoggerFactory.getLogger(CandlesBatchWriter.class);
    private static final String ROWS = "rows";

    private final BatchSink candles;
    private final String sinkName;
    private final PipelineMetrics metrics;

    public CandlesBatchWriter(BatchSink candles, String sinkName, PipelineMetrics metrics) {
        this.candles = candles;
        this.sinkName = sinkName;
        this.metrics = metrics;
    }

    @Override
    public void call(Dataset<Row> changedCandles, Long batchId) throws InterruptedException {
        Observation written = new Observation("candles_batch_" + batchId + "_" + System.nanoTime());
        candles.write(changedCandles.observe(written, count(lit(1)).as(ROWS)));
        Map<String, Object> observed = ObservedCounts.await(written, ObservedCounts.DEFAULT_TIMEOUT);
        if (observed == null) {
            // counting again would run the stateful aggregation a second time; the metric misses this batch instead
            LOG.warn("Candle batch {}: the number of rows written did not arrive within {} s (Spark's listener bus "
                    + "is behind); not counted in {}", batchId, ObservedCounts.DEFAULT_TIMEOUT.toSeconds(), sinkName);
            return;
        }
        metrics.written(sinkName, ObservedCounts.asLong(observed.get(ROWS)));
    }
}
