package io.streamingpipeline.spark;

import io.streamingpipeline.contract.TradeContract.Fields;
import io.streamingpipeline.spark.candles.Candle;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * One pass over a {@link TradeParsing#classify classified} micro-batch: how many trades are valid, how many records
 * were rejected for each reason, and the one-minute candles of the valid trades. Each task tallies its partition; the
 * driver adds up the partitions' tallies, so only a few candles per symbol reach it.
 *
 * <p>A Spark action, not an accumulator or an observed metric: its counts are exact even when a task runs twice, and
 * nothing waits for Spark's listener bus.
 */
public final class BatchTally implements Serializable {

    private static final long serialVersionUID = 1L;

    private long valid;
    private final Map<String, Long> rejected = new TreeMap<>();
    private final Map<Candle.Key, Candle> candles = new LinkedHashMap<>();

    private BatchTally() {
    }

    public static BatchTally of(Dataset<Row> classified) {
        Column[] columns = {col(TradeParsing.REJECT_REASON), col(Fields.SYMBOL), col(Fields.TIMESTAMP_UNIX),
                col(Fields.ID), col(Fields.PRICE), col(Fields.VOLUME)};
        List<BatchTally> partitions = classified.select(columns).javaRDD()
                .mapPartitions(rows -> List.of(ofPartition(rows)).iterator())
                .collect();
        BatchTally total = new BatchTally();
        partitions.forEach(total::add);
        return total;
    }

    /** Rows of (reject_reason, symbol, timestamp_unix, id, price, volume). */
    private static BatchTally ofPartition(Iterator<Row> rows) {
        BatchTally tally = new BatchTally();
        while (rows.hasNext()) {
            Row r = rows.next();
            if (r.isNullAt(0)) {
                tally.valid++;
                Candle candle = Candle.ofTrade(r.getString(1), r.getLong(2), r.getString(3), r.getDouble(4), r.getDouble(5));
                tally.candles.merge(candle.key(), candle, Candle::merge);
            } else {
                tally.rejected.merge(r.getString(0), 1L, Long::sum);
            }
        }
        return tally;
    }

    private void add(BatchTally other) {
        valid += other.valid;
        other.rejected.forEach((reason, n) -> rejected.merge(reason, n, Long::sum));
        other.candles.forEach((key, candle) -> candles.merge(key, candle, Candle::merge));
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
}
