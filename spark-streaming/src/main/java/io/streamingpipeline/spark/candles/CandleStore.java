package io.streamingpipeline.spark.candles;

import java.io.Serializable;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** Where candles are kept between micro-batches: the Cassandra candle table; tests keep them in memory. */
public interface CandleStore extends Serializable {

    /**
     * The stored candles of these keys; a key without a candle is absent from the map.
     *
     * @param latest read what every concurrent conditional write has committed (slower); for a key whose write
     *               found the row changed
     */
    Map<Candle.Key, MergedCandle> read(Collection<Candle.Key> keys, boolean latest);

    /**
     * Writes each candle if its row still has the merge positions the merge started from (compare-and-set), and
     * returns the keys whose row had changed in between: another writer merged first, nothing of them is written.
     */
    Set<Candle.Key> write(Collection<CandleWrite> writes);

    /**
     * A merged candle and the stored one it was merged into.
     *
     * @param before null when there was none; the write then requires that there still is none (or one without
     *               merge positions, as a table of an earlier version has)
     */
    record CandleWrite(MergedCandle before, MergedCandle after) {

        public Candle.Key key() {
            return after.candle().key();
        }

        /** The merge positions the row must still have, null for none. */
        public Map<String, Long> expectedOffsets() {
            return before == null ? null : before.mergedOffsets();
        }
    }
}
