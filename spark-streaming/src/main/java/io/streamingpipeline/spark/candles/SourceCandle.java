package io.streamingpipeline.spark.candles;

import java.io.Serializable;
import java.util.Objects;

/**
 * The candle of a micro-batch's trades of one minute that came from one Kafka partition, with the offsets of the
 * first and the last of those trades: what a merge needs to tell which of them a stored candle already holds.
 */
public record SourceCandle(Candle candle, int partition, long firstOffset, long lastOffset) implements Serializable {

    /** Which trades: a candle's symbol and minute, and the Kafka partition they came from. */
    public record Key(Candle.Key candle, int partition) implements Serializable {}

    public SourceCandle {
        Objects.requireNonNull(candle, "candle");
        if (firstOffset > lastOffset) {
            throw new IllegalArgumentException("first offset " + firstOffset + " after last offset " + lastOffset);
        }
    }

    /** The candle of one trade, read at {@code offset} of {@code partition}. */
    public static SourceCandle ofTrade(Candle trade, int partition, long offset) {
        return new SourceCandle(trade, partition, offset, offset);
    }

    public Key key() {
        return new Key(candle.key(), partition);
    }

    /** The candle of this one's trades and {@code other}'s, of the same minute and partition. */
    public SourceCandle merge(SourceCandle other) {
        if (partition != other.partition) {
            throw new IllegalArgumentException(
                    "cannot merge trades of partitions " + partition + " and " + other.partition);
        }
        return new SourceCandle(
                candle.merge(other.candle),
                partition,
                Math.min(firstOffset, other.firstOffset),
                Math.max(lastOffset, other.lastOffset));
    }
}
