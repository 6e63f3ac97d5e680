package io.streamingpipeline.spark;

import io.streamingpipeline.spark.candles.Candle;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a micro-batch's records were: how many trades are valid, how many records were rejected for each reason, and
 * the one-minute candles of the valid trades. Each task tallies the records it checks, and the driver adds up the
 * tasks' tallies ({@link Accumulator}), so only a few candles per symbol reach it.
 */
public final class BatchTally implements Serializable {

    private static final long serialVersionUID = 1L;

    private long valid;
    private final Map<String, Long> rejected = new TreeMap<>();
    private final Map<Candle.Key, Candle> candles = new LinkedHashMap<>();

    private BatchTally() {
    }

    /**
     * A new, empty accumulator of a batch's tally, registered with the context.
     *
     * <p>Its counts are exact as long as the records are checked in the tasks of the job that writes them, with no
     * shuffle in between (as {@link TradeParsing#trades} and the sinks do): Spark merges the accumulator updates of a
     * job's final-stage task once per partition, and drops those of a failed or duplicate attempt.
     */
    public static Accumulator register(SparkContext context) {
        Accumulator accumulator = new Accumulator();
        context.register(accumulator);
        return accumulator;
    }

    void add(TradeRecordCheck.Checked record) {
        if (record.valid()) {
            valid++;
            Candle candle = Candle.ofTrade(record.symbol(), record.timestampUnix(), record.id(), record.price(),
                    record.volume());
            candles.merge(candle.key(), candle, Candle::merge);
        } else {
            rejected.merge(record.rejectReason(), 1L, Long::sum);
        }
    }

    private void addAll(BatchTally other) {
        valid += other.valid;
        other.rejected.forEach((reason, n) -> rejected.merge(reason, n, Long::sum));
        other.candles.forEach((key, candle) -> candles.merge(key, candle, Candle::merge));
    }

    private boolean isEmpty() {
        return valid == 0 && rejected.isEmpty() && candles.isEmpty();
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

    /** One candle per symbol and minute of the valid trades. */
    public Collection<Candle> candles() {
        return List.copyOf(candles.values());
    }

    /** Checked records in, the batch's tally out. */
    public static final class Accumulator extends AccumulatorV2<TradeRecordCheck.Checked, BatchTally> {

        private static final long serialVersionUID = 1L;

        private BatchTally tally = new BatchTally();

        @Override
        public boolean isZero() {
            return tally.isEmpty();
        }

        @Override
        public Accumulator copy() {
            Accumulator copy = new Accumulator();
            copy.tally.addAll(tally);
            return copy;
        }

        @Override
        public void reset() {
            tally = new BatchTally();
        }

        @Override
        public void add(TradeRecordCheck.Checked record) {
            tally.add(record);
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
