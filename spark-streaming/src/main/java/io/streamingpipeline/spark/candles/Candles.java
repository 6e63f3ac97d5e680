package io.streamingpipeline.spark.candles;

import io.streamingpipeline.contract.TradeContract.Fields;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.apache.spark.sql.functions.col;

/**
 * One-minute candles of a trade micro-batch, merged into the stored candles.
 *
 * <p>Each micro-batch's valid trades are reduced to one {@link Candle} per symbol and minute (in the tasks, per
 * partition, then on the driver: a batch touches a few candles per symbol, so only those reach the driver), and each
 * one is merged into the stored candle of its minute. A candle is therefore final as soon as the batch that holds its
 * latest trade is written, and a trade that comes minutes late still counts in its minute: there is no state to
 * expire and no watermark.
 *
 * <p>A replayed micro-batch (the driver failed after the merge, before Spark committed the batch) is not merged
 * twice: each stored candle records the query and the last batch merged into it ({@link MergedCandle}). A new
 * checkpoint is a new query id, so its batches merge whatever they read.
 */
public final class Candles {

    private Candles() {
    }

    /**
     * @param validTrades valid trades with the contract's symbol, timestamp_unix, id, price and volume columns
     * @return one candle per symbol and minute of the trades
     */
    public static Collection<Candle> of(Dataset<Row> validTrades) {
        Column[] input = {col(Fields.SYMBOL), col(Fields.TIMESTAMP_UNIX), col(Fields.ID), col(Fields.PRICE),
                col(Fields.VOLUME)};
        List<Candle> partials = validTrades.select(input).javaRDD()
                .mapPartitions(rows -> reduce(rows).iterator())
                .collect();
        return merged(partials.iterator());
    }

    /** Rows of (symbol, timestamp_unix, id, price, volume) into one candle per symbol and minute. */
    static Collection<Candle> reduce(Iterator<Row> trades) {
        Map<Candle.Key, Candle> candles = new LinkedHashMap<>();
        while (trades.hasNext()) {
            Row t = trades.next();
            Candle candle = Candle.ofTrade(t.getString(0), t.getLong(1), t.getString(2), t.getDouble(3), t.getDouble(4));
            candles.merge(candle.key(), candle, Candle::merge);
        }
        return new ArrayList<>(candles.values());
    }

    private static Collection<Candle> merged(Iterator<Candle> partials) {
        Map<Candle.Key, Candle> candles = new LinkedHashMap<>();
        partials.forEachRemaining(c -> candles.merge(c.key(), c, Candle::merge));
        return candles.values();
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
