package io.streamingpipeline.spark.health;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the job's micro-batch writers keep on the driver (they run there, in foreachBatch), updated after a
 * batch's writes succeeded. A batch replayed after a crash is counted again: these count work done, not distinct rows.
 */
public final class PipelineMetrics {

    private final Map<String, AtomicLong> rejectedByReason = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rowsWrittenBySink = new ConcurrentHashMap<>();
    private final AtomicLong deadLettersUnwritten = new AtomicLong();
    private final AtomicLong offsetsSkipped = new AtomicLong();
    private final Map<String, WriteTime> writeTimeBySink = new ConcurrentHashMap<>();

    /** Time spent writing to one sink: the sum over batches, and how many batches wrote to it. */
    public record WriteTime(long nanos, long batches) {}

    public void rejected(String reason, long count) {
        add(rejectedByReason, reason, count);
    }

    /** @param sink a table or topic name, e.g. {@code crypto_trades} */
    public void written(String sink, long rows) {
        add(rowsWrittenBySink, sink, rows);
    }

    /** One batch's write to a sink took this long (its Spark job, or for candles the reads and transactions). */
    public void writeTook(String sink, long nanos) {
        writeTimeBySink.merge(sink, new WriteTime(nanos, 1), (a, b) -> new WriteTime(a.nanos + b.nanos, a.batches + 1));
    }

    public Map<String, WriteTime> writeTimeBySink() {
        return new TreeMap<>(writeTimeBySink);
    }

    /** Dead letters that Kafka refused for good (too large, not authorised, ...): skipped, not retried. */
    public void deadLettersUnwritten(long count) {
        deadLettersUnwritten.addAndGet(count);
    }

    public long deadLettersUnwritten() {
        return deadLettersUnwritten.get();
    }

    /** Offsets of a batch's Kafka range at which no record was read ({@link SkippedOffsets}). */
    public void offsetsSkipped(long count) {
        offsetsSkipped.addAndGet(count);
    }

    public long offsetsSkipped() {
        return offsetsSkipped.get();
    }

    public Map<String, Long> rejectedByReason() {
        return snapshot(rejectedByReason);
    }

    public Map<String, Long> rowsWrittenBySink() {
        return snapshot(rowsWrittenBySink);
    }

    private static void add(Map<String, AtomicLong> counters, String key, long n) {
        counters.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(n);
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counters) {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }
}
