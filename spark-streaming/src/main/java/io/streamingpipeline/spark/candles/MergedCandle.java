package io.streamingpipeline.spark.candles;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A stored candle and how far it is merged: per Kafka partition of the trades topic, the offset of the last trade
 * merged into it. This merge position, not the checkpoint, is what makes merges exact: it belongs to the source, so
 * it holds across replays, new checkpoints and concurrent drivers alike.
 *
 * @param mergedOffsets by {@link SourceTopic#partitionKey}; null for a candle of an earlier version, written before
 *                      merge positions existed (then only {@code query} and {@code batch} say what it holds)
 * @param query         the streaming query that merged last
 * @param batch         that query's micro-batch
 */
public record MergedCandle(Candle candle, Map<String, Long> mergedOffsets, UUID query, long batch) {

    public MergedCandle {
        Objects.requireNonNull(candle, "candle");
        mergedOffsets = mergedOffsets == null ? null : Map.copyOf(mergedOffsets);
    }

    /**
     * Whether a candle of an earlier version, without merge positions, holds batch {@code batchId} of
     * {@code queryId} already: such a candle was merged once per batch, in order, by one query.
     */
    public boolean holdsWithoutPositions(UUID queryId, long batchId) {
        return mergedOffsets == null && query != null && query.equals(queryId) && batch >= batchId;
    }
}
