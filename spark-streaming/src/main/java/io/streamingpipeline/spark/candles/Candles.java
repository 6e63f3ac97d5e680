package io.streamingpipeline.spark.candles;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One-minute candles of a trade micro-batch, merged into the stored candles.
 *
 * <p>Each micro-batch's valid trades are reduced to one {@link Candle} per symbol and minute (by the batch's
 * {@link io.streamingpipeline.spark.BatchTally}: a batch touches a few candles per symbol, so only those reach the
 * driver), and each one is merged into the stored candle of its minute. A candle is therefore final as soon as the
 * batch that holds its latest trade is written, and a trade that comes minutes late still counts in its minute: there
 * is no state to expire and no watermark.
 *
 * <p>A replayed micro-batch (the driver failed after the merge, before Spark committed the batch) is not merged
 * twice: each stored candle records the query and the last batch merged into it ({@link MergedCandle}). A new
 * checkpoint is a new query id, so its batches merge whatever they read.
 */
public final class Candles {

    private Candles() {
    }

    /**
     * Merges a micro-batch's candles into the store: each with the stored candle of its minute, unless that one
     * already holds this batch of this query (a replay).
     *
     * @return the candles written
     */
    public static List<MergedCandle> mergeInto(CandleStore store, Collection<Candle> batchCandles, UUID query,
                                               long batchId) {
        if (batchCandles.isEmpty()) {
            return List.of();
        }
        Map<Candle.Key, MergedCandle> stored = store.read(batchCandles.stream().map(Candle::key).toList());
        List<MergedCandle> merged = new ArrayList<>();
        for (Candle candle : batchCandles) {
            MergedCandle before = stored.get(candle.key());
            if (before != null && before.holds(query, batchId)) {
                continue;
            }
            merged.add(new MergedCandle(before == null ? candle : before.candle().merge(candle), query, batchId));
        }
        store.write(merged);
        return merged;
    }
}
