package io.streamingpipeline.spark.candles;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The candle table, read and written from the driver through the spark-cassandra-connector's session (its
 * {@code spark.cassandra.*} connection settings).
 *
 * <p>Bounded, batched I/O: candles are read one {@code (symbol, day)} partition at a time (a slice from the batch's
 * first to its last minute of that day: at most 1,440 rows, one request), and at most {@link #MAX_IN_FLIGHT}
 * requests are in flight, reads or writes. A catch-up batch that touches tens of thousands of candles therefore sends
 * a few hundred reads and streams its writes, within the driver's per-connection request limit (1,024 by default,
 * on as few as one connection).
 *
 * <p>Each candle is written by a lightweight transaction, {@code UPDATE ... IF merged_offsets = <what was read>}: the
 * write happens only if no other writer merged into the candle since it was read (see {@link Candles}). Reads and
 * writes are {@code LOCAL_QUORUM}, the transactions {@code LOCAL_SERIAL}, whatever the connector's consistency
 * settings: a merge must read the previous batch's write, on any replica count.
 */
public final class CassandraCandleStore implements CandleStore {

    /** Requests in flight from the driver at most: well below the driver's 1,024 per connection. */
    static final int MAX_IN_FLIGHT = 64;
    private static final int MINUTES_PER_DAY = 1440;
    private static final ConsistencyLevel CONSISTENCY = ConsistencyLevel.LOCAL_QUORUM;
    private static final ConsistencyLevel SERIAL = ConsistencyLevel.LOCAL_SERIAL;
    private static final String EXPECTED_OFFSETS = "expected_" + CandleColumns.MERGED_OFFSETS;
    private static final String FROM_MINUTE = "from_minute";
    private static final String TO_MINUTE = "to_minute";
    private static final List<String> KEY = List.of(CandleColumns.SYMBOL, CandleColumns.DAY, CandleColumns.MINUTE_START);

    private final CassandraConnector connector;
    private final String table;

    public CassandraCandleStore(CassandraConnector connector, String keyspace, String table) {
        this.connector = connector;
        this.table = keyspace + "." + table;
    }

    /** Symbol and day: a partition of the candle table. */
    private record Partition(String symbol, String day) {
    }

    @Override
    public Map<Candle.Key, MergedCandle> read(Collection<Candle.Key> keys, boolean latest) {
        Map<Partition, List<Candle.Key>> byPartition = keys.stream().collect(Collectors.groupingBy(
                k -> new Partition(k.symbol(), k.day()), LinkedHashMap::new, Collectors.toList()));
        Set<Candle.Key> wanted = new HashSet<>(keys);
        try (CqlSession session = connector.openSession()) {
            PreparedStatement select = session.prepare("SELECT " + String.join(", ", CandleColumns.ALL) + " FROM "
                    + table + " WHERE " + CandleColumns.SYMBOL + " = :" + CandleColumns.SYMBOL + " AND "
                    + CandleColumns.DAY + " = :" + CandleColumns.DAY + " AND " + CandleColumns.MINUTE_START
                    + " >= :" + FROM_MINUTE + " AND " + CandleColumns.MINUTE_START + " <= :" + TO_MINUTE);
            BoundedRequests<AsyncResultSet> reads = new BoundedRequests<>(MAX_IN_FLIGHT);
            byPartition.forEach((partition, partitionKeys) -> {
                long from = partitionKeys.stream().mapToLong(Candle.Key::minuteStart).min().orElseThrow();
                long to = partitionKeys.stream().mapToLong(Candle.Key::minuteStart).max().orElseThrow();
                reads.send(() -> session.executeAsync(select.boundStatementBuilder()
                        .setString(CandleColumns.SYMBOL, partition.symbol())
                        .setString(CandleColumns.DAY, partition.day())
                        .setInstant(FROM_MINUTE, Instant.ofEpochMilli(from))
                        .setInstant(TO_MINUTE, Instant.ofEpochMilli(to))
                        .setPageSize(MINUTES_PER_DAY)
                        .setConsistencyLevel(latest ? SERIAL : CONSISTENCY)
                        .build()));
            });
            Map<Candle.Key, MergedCandle> stored = new HashMap<>();
            for (AsyncResultSet page : reads.awaitAll()) {
                if (page.hasMorePages()) {
                    throw new IllegalStateException("more than " + MINUTES_PER_DAY + " candles in a day partition");
                }
                for (Row row : page.currentPage()) {
                    // a candle written before the table had the merge columns (an upgrade in mid-minute) is replaced
                    if (row.isNull(CandleColumns.MERGED_QUERY) && row.isNull(CandleColumns.MERGED_OFFSETS)) {
                        continue;
                    }
                    MergedCandle candle = fromRow(row);
                    if (wanted.contains(candle.candle().key())) {
                        stored.put(candle.candle().key(), candle);
                    }
                }
            }
            return stored;
        }
    }

    @Override
    public Set<Candle.Key> write(Collection<CandleWrite> writes) {
        if (writes.isEmpty()) {
            return Set.of();
        }
        List<String> values = CandleColumns.ALL.stream().filter(c -> !KEY.contains(c)).toList();
        try (CqlSession session = connector.openSession()) {
            // UPDATE, not INSERT: its condition also holds for a row that does not exist (every column is null)
            PreparedStatement update = session.prepare("UPDATE " + table + " SET "
                    + values.stream().map(c -> c + " = :" + c).collect(Collectors.joining(", "))
                    + " WHERE " + KEY.stream().map(c -> c + " = :" + c).collect(Collectors.joining(" AND "))
                    + " IF " + CandleColumns.MERGED_OFFSETS + " = :" + EXPECTED_OFFSETS);
            BoundedRequests<AsyncResultSet> sent = new BoundedRequests<>(MAX_IN_FLIGHT);
            List<CandleWrite> ordered = List.copyOf(writes);
            for (CandleWrite write : ordered) {
                sent.send(() -> session.executeAsync(bind(update, write)));
            }
            List<AsyncResultSet> results = sent.awaitAll();
            Set<Candle.Key> changed = new HashSet<>();
            for (int i = 0; i < results.size(); i++) {
                if (!results.get(i).wasApplied()) {
                    changed.add(ordered.get(i).key());
                }
            }
            return changed;
        }
    }

    private static com.datastax.oss.driver.api.core.cql.BoundStatement bind(PreparedStatement update, CandleWrite write) {
        MergedCandle merged = write.after();
        Candle c = merged.candle();
        BoundStatementBuilder b = update.boundStatementBuilder()
                .setString(CandleColumns.SYMBOL, c.symbol())
                .setString(CandleColumns.DAY, c.key().day())
                .setInstant(CandleColumns.MINUTE_START, Instant.ofEpochMilli(c.minuteStart()))
                .setDouble(CandleColumns.OPEN, c.open())
                .setDouble(CandleColumns.HIGH, c.high())
                .setDouble(CandleColumns.LOW, c.low())
                .setDouble(CandleColumns.CLOSE, c.close())
                .setDouble(CandleColumns.VOLUME, c.volume())
                .setLong(CandleColumns.TRADE_COUNT, c.tradeCount())
                .setLong(CandleColumns.OPEN_TIME, c.openTime())
                .setUuid(CandleColumns.OPEN_ID, UUID.fromString(c.openId()))
                .setLong(CandleColumns.CLOSE_TIME, c.closeTime())
                .setUuid(CandleColumns.CLOSE_ID, UUID.fromString(c.closeId()))
                .setUuid(CandleColumns.MERGED_QUERY, merged.query())
                .setLong(CandleColumns.MERGED_BATCH, merged.batch())
                .setMap(CandleColumns.MERGED_OFFSETS, merged.mergedOffsets(), String.class, Long.class);
        Map<String, Long> expected = write.expectedOffsets();
        b = expected == null ? b.setToNull(EXPECTED_OFFSETS) : b.setMap(EXPECTED_OFFSETS, expected, String.class, Long.class);
        Double vwap = c.vwap();
        // left unset while the minute has no volume: no tombstone (once set, it stays set: volume only grows)
        if (vwap != null) {
            b = b.setDouble(CandleColumns.VWAP, vwap);
        }
        return b.setConsistencyLevel(CONSISTENCY).setSerialConsistencyLevel(SERIAL).build();
    }

    private static MergedCandle fromRow(Row r) {
        double volume = r.getDouble(CandleColumns.VOLUME);
        // the table keeps the VWAP, not the notional: notional = VWAP × volume (0 while the minute has no volume)
        double notional = r.isNull(CandleColumns.VWAP) ? 0.0 : r.getDouble(CandleColumns.VWAP) * volume;
        Candle candle = new Candle(r.getString(CandleColumns.SYMBOL),
                r.getInstant(CandleColumns.MINUTE_START).toEpochMilli(),
                r.getLong(CandleColumns.OPEN_TIME), r.getUuid(CandleColumns.OPEN_ID).toString(),
                r.getDouble(CandleColumns.OPEN), r.getDouble(CandleColumns.HIGH), r.getDouble(CandleColumns.LOW),
                r.getLong(CandleColumns.CLOSE_TIME), r.getUuid(CandleColumns.CLOSE_ID).toString(),
                r.getDouble(CandleColumns.CLOSE), volume, r.getLong(CandleColumns.TRADE_COUNT), notional);
        Map<String, Long> offsets = r.isNull(CandleColumns.MERGED_OFFSETS) ? null
                : r.getMap(CandleColumns.MERGED_OFFSETS, String.class, Long.class);
        return new MergedCandle(candle, offsets, r.getUuid(CandleColumns.MERGED_QUERY),
                r.isNull(CandleColumns.MERGED_BATCH) ? -1 : r.getLong(CandleColumns.MERGED_BATCH));
    }
}
