package io.streamingpipeline.spark.candles;

import io.streamingpipeline.spark.candles.CandleStore.CandleWrite;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-minute candles of a trade micro-batch, merged into the stored candles, exactly once per trade whatever replays
 * the batch.
 *
 * <p>Each micro-batch's valid trades are reduced to one {@link SourceCandle} per symbol, minute and Kafka partition
 * (by the batch's {@link io.streamingpipeline.spark.BatchTally}: only those reach the driver), and merged into the
 * stored candle of their minute. A candle is final as soon as the batch that holds its latest trade is written, and a
 * trade that comes minutes late still counts in its minute: there is no state to expire and no watermark.
 *
 * <p>Why merge positions keyed on the source: a stored candle keeps, per Kafka partition, the offset of the last trade
 * merged into it ({@link MergedCandle#mergedOffsets}), and a merge takes only the trades above it. Within a partition
 * a candle's trades are merged in offset order (a driver merges its batches in order, and every batch of a query
 * starts where the previous one ended), so everything at or below that offset is in the candle. This holds for a
 * replayed batch (the same offsets: skipped), for a new checkpoint that reads the topic again from {@code earliest}
 * (its batches have other boundaries: the trades of a minute that the stored candle holds only in part are counted
 * again, by a second pass over the batch, above the stored offset only), and for two drivers that run the same
 * batches. Positions are kept per partition of the topic's incarnation ({@link SourceTopic}: its name and Kafka's id of
 * it), so a topic deleted and created again, whose offsets start at 0 again, is read as the new source it is. The
 * alternative, recomputing each touched minute from the stored trades, is exact by construction but
 * reads a hot minute's trades again in every batch (thousands of rows, four times a second), and is wrong once the
 * trades' TTL (30 days) has expired rows of a minute that a late trade touches: the candle outlives its trades.
 *
 * <p>Why compare-and-set on the merge position (a lightweight transaction per candle) rather than a single-writer
 * lease: a lease is checked before the writes, and a paused or partitioned driver that still believes it holds the
 * lease writes after another took over; only a condition evaluated by Cassandra with the write itself fences that.
 * The condition is the row's merge position, so any concurrent merge of the same candle, from any driver or
 * checkpoint, makes the later one re-read and merge again from the new position; candles of different minutes never
 * contend. It costs a Paxos round per candle written (a batch writes a few per symbol), and no coordination when
 * only one driver runs.
 */
public final class Candles {

    private static final Logger LOG = LoggerFactory.getLogger(Candles.class);

    /** Compare-and-set rounds before a batch gives up (another driver keeps merging the same candles, or Cassandra fails). */
    static final int MAX_ROUNDS = 20;

    private Candles() {}

    /**
     * Merges a micro-batch's candles into the store: of each minute and partition, the trades above the stored
     * candle's merge position for that partition.
     *
     * @param tradesAbove for trades of which a stored candle holds only some (a new checkpoint's batch straddling
     *                    the stored position), the candle of those above the given offset; rarely called
     * @param query       and {@code batchId}: recorded with the candle; replay check of candles of earlier versions
     * @return the candles written
     */
    public static List<MergedCandle> mergeInto(
            CandleStore store,
            Collection<SourceCandle> batchCandles,
            SourceTopic topic,
            Function<Map<SourceCandle.Key, Long>, Map<SourceCandle.Key, SourceCandle>> tradesAbove,
            UUID query,
            long batchId) {
        Map<Candle.Key, List<SourceCandle>> byCandle = new LinkedHashMap<>();
        for (SourceCandle c : batchCandles) {
            byCandle.computeIfAbsent(c.candle().key(), k -> new ArrayList<>()).add(c);
        }
        List<MergedCandle> written = new ArrayList<>();
        Collection<Candle.Key> pending = byCandle.keySet();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (pending.isEmpty()) {
                return written;
            }
            Map<Candle.Key, MergedCandle> stored = store.read(pending, round > 0);
            Map<SourceCandle.Key, Long> straddling = new HashMap<>();
            for (Candle.Key key : pending) {
                MergedCandle before = stored.get(key);
                for (SourceCandle part : byCandle.get(key)) {
                    Long position = position(before, topic, part.partition());
                    if (position != null && part.firstOffset() <= position && position < part.lastOffset()) {
                        straddling.put(part.key(), position);
                    }
                }
            }
            Map<SourceCandle.Key, SourceCandle> above = straddling.isEmpty() ? Map.of() : tradesAbove.apply(straddling);
            List<CandleWrite> writes = new ArrayList<>();
            for (Candle.Key key : pending) {
                CandleWrite write = merge(stored.get(key), byCandle.get(key), above, topic, query, batchId);
                if (write != null) {
                    writes.add(write);
                }
            }
            Set<Candle.Key> changed = store.write(writes);
            writes.stream().filter(w -> !changed.contains(w.key())).forEach(w -> written.add(w.after()));
            if (!changed.isEmpty()) {
                LOG.info(
                        "Batch {}: {} candles (e.g. {}) were merged by another writer since they were read: "
                                + "reading and merging them again",
                        batchId,
                        changed.size(),
                        changed.iterator().next());
            }
            pending = changed;
        }
        throw new IllegalStateException(pending.size() + " candles (e.g. "
                + pending.iterator().next() + ") were not "
                + "written in " + MAX_ROUNDS + " rounds: each time another writer had changed them, or the write's "
                + "outcome was unknown (see the warnings before); the batch fails and is replayed");
    }

    /** The stored candle with the batch's trades it does not hold yet; null when it holds them all. */
    private static CandleWrite merge(
            MergedCandle before,
            List<SourceCandle> parts,
            Map<SourceCandle.Key, SourceCandle> above,
            SourceTopic topic,
            UUID query,
            long batchId) {
        if (before != null && before.holdsWithoutPositions(query, batchId)) {
            return null;
        }
        Candle candle = before == null ? null : before.candle();
        Map<String, Long> positions = before == null || before.mergedOffsets() == null
                ? new TreeMap<>()
                : new TreeMap<>(before.mergedOffsets());
        boolean merged = false;
        for (SourceCandle part : parts) {
            Long position = position(before, topic, part.partition());
            SourceCandle news;
            if (position == null || part.firstOffset() > position) {
                news = part;
            } else if (part.lastOffset() <= position) {
                continue;
            } else {
                news = above.get(part.key());
                if (news == null || news.firstOffset() <= position || news.lastOffset() != part.lastOffset()) {
                    throw new IllegalStateException("no candle of the trades of " + part.key() + " above offset "
                            + position + " (got " + news + ")");
                }
            }
            candle = candle == null ? news.candle() : candle.merge(news.candle());
            positions.put(topic.partitionKey(part.partition()), part.lastOffset());
            merged = true;
        }
        return merged ? new CandleWrite(before, new MergedCandle(candle, positions, query, batchId)) : null;
    }

    private static Long position(MergedCandle stored, SourceTopic topic, int partition) {
        if (stored == null || stored.mergedOffsets() == null) {
            return null;
        }
        Long position = stored.mergedOffsets().get(topic.partitionKey(partition));
        return position != null ? position : stored.mergedOffsets().get(topic.nameKey(partition));
    }
}
