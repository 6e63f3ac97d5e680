package io.streamingpipeline.spark.candles;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A candle table in memory, for tests, with the Cassandra store's compare-and-set on the merge positions; counts
 * the candles written and can let "another writer" in between a merge's read and its write.
 */
public final class InMemoryCandleStore implements CandleStore {

    private final Map<Candle.Key, MergedCandle> table = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private Runnable beforeNextWrite;

    @Override
    public Map<Candle.Key, MergedCandle> read(Collection<Candle.Key> keys, boolean latest) {
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
    public Set<Candle.Key> write(Collection<CandleWrite> candles) {
        Runnable concurrent = beforeNextWrite;
        beforeNextWrite = null;
        if (concurrent != null) {
            concurrent.run();
        }
        Set<Candle.Key> changed = new HashSet<>();
        synchronized (table) {
            for (CandleWrite w : candles) {
                MergedCandle current = table.get(w.key());
                if (Objects.equals(current == null ? null : current.mergedOffsets(), w.expectedOffsets())) {
                    table.put(w.key(), w.after());
                    writes.incrementAndGet();
                } else {
                    changed.add(w.key());
                }
            }
        }
        return changed;
    }

    /** Runs {@code writer} once, right before the next write: a concurrent writer between a merge's read and write. */
    public void beforeNextWrite(Runnable writer) {
        this.beforeNextWrite = writer;
    }

    /** Stores a candle as is (e.g. one of an earlier version, without merge positions). */
    public void put(MergedCandle candle) {
        table.put(candle.candle().key(), candle);
    }

    /** The stored candles, by symbol and minute. */
    public List<Candle> candles() {
        return table.values().stream()
                .map(MergedCandle::candle)
                .sorted(java.util.Comparator.comparing(Candle::symbol).thenComparingLong(Candle::minuteStart))
                .toList();
    }

    /** The stored candles with their merge positions. */
    public List<MergedCandle> merged() {
        return List.copyOf(table.values());
    }

    public int written() {
        return writes.get();
    }
}
