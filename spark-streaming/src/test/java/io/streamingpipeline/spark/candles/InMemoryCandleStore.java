package io.streamingpipeline.spark.candles;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A candle table in memory, for tests; counts the candles written. */
public final class InMemoryCandleStore implements CandleStore {

    private final Map<Candle.Key, MergedCandle> table = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();

    @Override
    public Map<Candle.Key, MergedCandle> read(Collection<Candle.Key> keys) {
        Map<Candle.Key, MergedCandle> found = new HashMap<>();
        keys.forEach(k -> {
            MergedCandle c = table.get(k);
            if (c != null) {
                found.put(k, c);
            }
        });
        return found;
    }

    @Override
    public void write(Collection<MergedCandle> candles) {
        candles.forEach(c -> table.put(c.candle().key(), c));
        writes.addAndGet(candles.size());
    }

    /** The stored candles, by symbol and minute. */
    public List<Candle> candles() {
        return table.values().stream().map(MergedCandle::candle)
                .sorted(java.util.Comparator.comparing(Candle::symbol).thenComparingLong(Candle::minuteStart))
                .toList();
    }

    /** The stored candles with the batch that last merged into each. */
    public List<MergedCandle> merged() {
        return List.copyOf(table.values());
    }

    public int written() {
        return writes.get();
    }
}
