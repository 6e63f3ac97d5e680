package io.streamingpipeline.spark.candles;

import java.util.Objects;
import java.util.UUID;

/**
 * A stored candle and the last micro-batch merged into it.
 *
 * @param query the streaming query's id: stable across restarts from the same checkpoint, new with a new one
 * @param batch the query's last micro-batch merged into the candle
 */
public record MergedCandle(Candle candle, UUID query, long batch) {

    public MergedCandle {
        Objects.requireNonNull(candle, "candle");
        Objects.requireNonNull(query, "query");
    }

    /** Whether batch {@code batchId} of {@code queryId} is already in the candle (batches merge in order). */
    public boolean holds(UUID queryId, long batchId) {
        return query.equals(queryId) && batch >= batchId;
    }
}
