package io.streamingpipeline.spark.candles;

import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The candles of the trades a Spark job passed through {@link Candles#tallied}: one per symbol and minute, built in
 * each task and merged on the driver as the tasks finish. Spark merges the tally of each successful task once, and
 * drops that of a failed attempt, so a retried task does not count its trades twice; reading the tallied trades twice
 * would, so one job must consume them, once.
 *
 * <p>Registered without a name: Spark's UI neither shows nor stringifies it at every task end, as it does with named
 * accumulators (and with the accumulators of {@code Dataset.observe}).
 */
public final class CandleTally extends AccumulatorV2<Candle, Map<Candle.Key, Candle>> {

    private final LinkedHashMap<Candle.Key, Candle> candles = new LinkedHashMap<>();

    /** A new, empty tally, registered with the context (as accumulators must be before a job uses them). */
    public static CandleTally register(SparkContext context) {
        CandleTally tally = new CandleTally();
        context.register(tally);
        return tally;
    }

    @Override
    public boolean isZero() {
        return candles.isEmpty();
    }

    @Override
    public CandleTally copy() {
        CandleTally copy = new CandleTally();
        copy.candles.putAll(candles);
        return copy;
    }

    @Override
    public void reset() {
        candles.clear();
    }

    @Override
    public void add(Candle candle) {
        candles.merge(candle.key(), candle, Candle::merge);
    }

    @Override
    public void merge(AccumulatorV2<Candle, Map<Candle.Key, Candle>> other) {
        other.value().values().forEach(this::add);
    }

    /** The candles, by symbol and minute. */
    @Override
    public Map<Candle.Key, Candle> value() {
        return Collections.unmodifiableMap(candles);
    }
}
