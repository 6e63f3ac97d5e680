package io.streamingpipeline.spark;

import io.streamingpipeline.spark.candles.Candle;
import io.streamingpipeline.spark.candles.SourceCandle;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * What a micro-batch's records were: how many were read from each Kafka partition, how many trades are valid, how many
 * records were rejected for each reason, and the one-minute candles of the valid trades, one per symbol, minute and
 * Kafka partition, with the offsets of their first and last trade. Each task tallies the records it checks, and the
 * driver adds up the tasks' tallies ({@link Accumulator}), so only a few candles per symbol reach it.
 */
public final class BatchTally implements Serializable {

    private static final long serialVersionUID = 1L;

    private long valid;
    /** Records read, valid or not, indexed by Kafka partition. */
    private long[] readByPartition = new long[0];

    private final Map<String, Long> rejected = new TreeMap<>();
    private final Map<SourceCandle.Key, SourceCandle> candles = new LinkedHashMap<>();
    /** Null: every valid trade counts in the candles; else only those of these keys above the given offset. */
    private final Map<SourceCandle.Key, Long> onlyAbove;

    private BatchTally(Map<SourceCandle.Key, Long> onlyAbove) {
        this.onlyAbove = onlyAbove;
    }

    /**
     * A new, empty accumulator of a batch's tally, registered with the context.
     *
     * <p>Its counts are exact as long as the records are checked in the tasks of the job that writes them, with no
     * shuffle in between (as {@link TradeParsing#trades} and the sinks do): Spark merges the accumulator updates of a
     * job's final-stage task once per partition, and drops those of a failed or duplicate attempt.
     */
    public static Accumulator register(SparkContext context) {
        return register(context, null);
    }

    /**
     * Like {@link #register(SparkContext)}, but only the trades of these candles and partitions, above these offsets,
     * count in the candles: for the trades of which a stored candle holds only some.
     */
    public static Accumulator register(SparkContext context, Map<SourceCandle.Key, Long> onlyAbove) {
        Accumulator accumulator = new Accumulator(onlyAbove == null ? null : Map.copyOf(onlyAbove));
        context.register(accumulator);
        return accumulator;
    }

    void add(TradeRecordCheck.Checked record, int partition, long offset) {
        read(partition, 1);
        if (record.valid()) {
            valid++;
            SourceCandle candle = SourceCandle.ofTrade(
                    Candle.ofTrade(
                            record.symbol(), record.timestampUnix(), record.id(), record.price(), record.volume()),
                    partition,
                    offset);
            if (onlyAbove != null) {
                Long above = onlyAbove.get(candle.key());
                if (above == null || offset <= above) {
                    return;
                }
            }
            candles.merge(candle.key(), candle, SourceCandle::merge);
        } else {
            rejected.merge(record.rejectReason(), 1L, Long::sum);
        }
    }

    private void read(int partition, long count) {
        if (partition >= readByPartition.length) {
            readByPartition = Arrays.copyOf(readByPartition, partition + 1);
        }
        readByPartition[partition] += count;
    }

    private void addAll(BatchTally other) {
        for (int p = 0; p < other.readByPartition.length; p++) {
            read(p, other.readByPartition[p]);
        }
        valid += other.valid;
        other.rejected.forEach((reason, n) -> rejected.merge(reason, n, Long::sum));
        other.candles.forEach((key, candle) -> candles.merge(key, candle, SourceCandle::merge));
    }

    private boolean isEmpty() {
        return readByPartition.length == 0 && valid == 0 && rejected.isEmpty() && candles.isEmpty();
    }

    /** Records read (valid and rejected) by Kafka partition, in partition order; partitions without one are absent. */
    public Map<Integer, Long> readByPartition() {
        Map<Integer, Long> read = new TreeMap<>();
        for (int p = 0; p < readByPartition.length; p++) {
            if (readByPartition[p] > 0) {
                read.put(p, readByPartition[p]);
            }
        }
        return read;
    }

    public long validCount() {
        return valid;
    }

    /** Rejected records by reason label, in label order; reasons without a record are absent. */
    public Map<String, Long> rejectedByReason() {
        return Collections.unmodifiableMap(new TreeMap<>(rejected));
    }

    public long rejectedCount() {
        return rejected.values().stream().mapToLong(Long::longValue).sum();
    }

    /** One candle per symbol, minute and Kafka partition of the valid trades. */
    public Collection<SourceCandle> candles() {
        return List.copyOf(candles.values());
    }

    /** Checked records in (with their Kafka partition and offset: {@link #add(TradeRecordCheck.Checked, int, long)}), the batch's tally out. */
    public static final class Accumulator extends AccumulatorV2<TradeRecordCheck.Checked, BatchTally> {

        private static final long serialVersionUID = 1L;

        private final Map<SourceCandle.Key, Long> onlyAbove;
        private BatchTally tally;

        private Accumulator(Map<SourceCandle.Key, Long> onlyAbove) {
            this.onlyAbove = onlyAbove;
            this.tally = new BatchTally(onlyAbove);
        }

        @Override
        public boolean isZero() {
            return tally.isEmpty();
        }

        @Override
        public Accumulator copy() {
            Accumulator copy = new Accumulator(onlyAbove);
            copy.tally.addAll(tally);
            return copy;
        }

        @Override
        public void reset() {
            tally = new BatchTally(onlyAbove);
        }

        /** Candles are kept per Kafka partition and offset: use {@link #add(TradeRecordCheck.Checked, int, long)}. */
        @Override
        public void add(TradeRecordCheck.Checked record) {
            throw new UnsupportedOperationException("a trade is tallied with its Kafka partition and offset");
        }

        /** A checked record, read at {@code offset} of Kafka partition {@code partition}. */
        public void add(TradeRecordCheck.Checked record, int partition, long offset) {
            tally.add(record, partition, offset);
        }

        @Override
        public void merge(AccumulatorV2<TradeRecordCheck.Checked, BatchTally> other) {
            tally.addAll(other.value());
        }

        @Override
        public BatchTally value() {
            return tally;
        }
    }
}
