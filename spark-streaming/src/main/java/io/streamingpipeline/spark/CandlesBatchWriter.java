package io.streamingpipeline.spark;

import io.streamingpipeline.spark.health.PipelineMetrics;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * One micro-batch of the candle query (update output mode): the candles that changed in this batch, each with its
 * whole state so far, upserted by {@code (symbol, day, minute_start)}. A replayed batch recomputes the same
 * candles from the checkpointed state and rewrites them.
 */
public final class CandlesBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private final BatchSink candles;
    private final String sinkName;
    private final PipelineMetrics metrics;

    public CandlesBatchWriter(BatchSink candles, String sinkName, PipelineMetrics metrics) {
        this.candles = candles;
        this.sinkName = sinkName;
        this.metrics = metrics;
    }

    @Override
    public void call(Dataset<Row> changedCandles, Long batchId) {
        Dataset<Row> cached = changedCandles.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long rows = cached.count();
            if (rows > 0) {
                candles.write(cached);
            }
            metrics.written(sinkName, rows);
        } finally {
            cached.unpersist();
        }
    }
}
