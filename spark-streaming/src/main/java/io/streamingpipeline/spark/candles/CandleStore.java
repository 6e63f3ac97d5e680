package io.streamingpipeline.spark.candles;

import java.io.Serializable;
import java.util.Collection;
import java.util.Map;

/** Where candles are kept between micro-batches: the Cassandra candle table; tests keep them in memory. */
public interface CandleStore extends Serializable {

    /** The stored candles of these keys; a key without a candle is absent from the map. */
    Map<Candle.Key, MergedCandle> read(Collection<Candle.Key> keys);

    /** Upserts the candles by key; returns when all are written. */
    void write(Collection<MergedCandle> candles);
}
