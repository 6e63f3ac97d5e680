package io.streamingpipeline.spark.candles;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamingpipeline.contract.CandleField;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.spark.cassandra.BoundedRequests;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The candle table, read and written from the driver through the spark-cassandra-connector's session (its
 * {@code spark.cassandra.*} connection settings).
 *
 * <p>Bounded, batched I/O: candles are read one {@code (symbol, day)} partition at a time (a slice from the batch's
 * first to its last minute of that day: at most 1,440 rows, one request), at most {@link #MAX_IN_FLIGHT} reads in
 * flight, and written by conditional batches of up to {@link #WRITES_PER_TRANSACTION} candles of one partition, at
 * most {@link #MAX_TRANSACTIONS_IN_FLIGHT} in flight and one per partition at a time. A catch-up batch that touches
 * tens of thousands of candles therefore sends a few hundred reads and a few thousand transactions, within the
 * driver's per-connection request limit (1,024 by default, on as few as one connection), instead of one request per
 * candle at once, which the driver refused.
 *
 * <p>Each candle is written by a lightweight transaction, {@code UPDATE ... IF merged_offsets = <what was read>}: the
 * write happens only if no other writer merged into the candle since it was read (see {@link Candles}). A batch of
 * them is applied only if every condition holds; if one does not, each of its candles is read and merged again. Reads and
 * writes are {@code LOCAL_QUORUM}, the transactions {@code LOCAL_SERIAL}, whatever the connector's consistency
 * settings: a merge must read the previous batch's write, on any replica count.
 *
 * <p>A failed request is not the end of the batch: a read is sent again (up to {@link #READ_ATTEMPTS} times), and a
 * write whose outcome is unknown (a timeout, a connection closed under it) is reported as changed, so that the merge
 * reads it again at {@code LOCAL_SERIAL}, which completes or discards an unfinished transaction, and merges from
 * what it finds. Seen here: the driver closing a connection on a protocol v5 frame it could not decode, under load.
 */
public final class CassandraCandleStore implements CandleStore {

    /** Requests in flight from the driver at most: well below the driver's 1,024 per connection. */
    static final int MAX_IN_FLIGHT = 64;
    /** Conditional batches in flight at most (each a Paxos round on its own partition). */
    static final int MAX_TRANSACTIONS_IN_FLIGHT = 16;
    /**
     * Candles of one partition per conditional batch: all its conditions hold and it is applied, or none is. 16
     * candle updates stay near Cassandra's batch size warning (5 KiB), far below its failure threshold (50 KiB).
     */
    static final int WRITES_PER_TRANSACTION = 16;

    private static final int MINUTES_PER_DAY = 1440;
    static final int READ_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(CassandraCandleStore.class);
    private static final ConsistencyLevel CONSISTENCY = ConsistencyLevel.LOCAL_QUORUM;
    private static final ConsistencyLevel SERIAL = ConsistencyLevel.LOCAL_SERIAL;
    private static final String EXPECTED_OFFSETS = "expected_" + CandleColumns.MERGED_OFFSETS;
    private static final String FROM_MINUTE = "from_minute";
    private static final String TO_MINUTE = "to_minute";
    private static final List<String> KEY = CandleField.names(CandleField.of(CandleField.Part.KEY));

    private final CassandraConnector connector;
    private final String table;

    public CassandraCandleStore(CassandraConnector connector, String keyspace, String table) {
        this.connector = connector;
        this.table = keyspace + "." + table;
    }

    /** Symbol and day: a partition of the candle table. */
    private record Partition(String symbol, String day) {}

    @Override
    public Map<Candle.Key, MergedCandle> read(Collection<Candle.Key> keys, boolean latest) {
        for (int attempt = 1; ; attempt++) {
            try {
                return readOnce(keys, latest);
            } catch (DriverException e) {
                if (e instanceof QueryValidationException || attempt >= READ_ATTEMPTS) {
                    throw e;
                }
                LOG.warn(
                        "Reading {} candles failed (attempt {} of {}), reading again: {}",
                        keys.size(),
                        attempt,
                        READ_ATTEMPTS,
                        e.toString());
                pause(attempt);
            }
        }
    }

    private Map<Candle.Key, MergedCandle> readOnce(Collection<Candle.Key> keys, boolean latest) {
        Map<Partition, List<Candle.Key>> byPartition = keys.stream()
                .collect(Collectors.groupingBy(
                        k -> new Partition(k.symbol(), k.day()), LinkedHashMap::new, Collectors.toList()));
        Set<Candle.Key> wanted = new HashSet<>(keys);
        try (CqlSession session = connector.openSession()) {
            PreparedStatement select = session.prepare("SELECT " + String.join(", ", CandleColumns.ALL) + " FROM "
                    + table + " WHERE " + CandleColumns.SYMBOL + " = :" + CandleColumns.SYMBOL + " AND "
                    + CandleColumns.DAY + " = :" + CandleColumns.DAY + " AND " + CandleColumns.MINUTE_START
                    + " >= :" + FROM_MINUTE + " AND " + CandleColumns.MINUTE_START + " <= :" + TO_MINUTE);
            BoundedRequests<AsyncResultSet> reads = new BoundedRequests<>(MAX_IN_FLIGHT);
            byPartition.forEach((partition, partitionKeys) -> {
                long from = partitionKeys.stream()
                        .mapToLong(Candle.Key::minuteStart)
                        .min()
                        .orElseThrow();
                long to = partitionKeys.stream()
                        .mapToLong(Candle.Key::minuteStart)
                        .max()
                        .orElseThrow();
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
        List<String> values =
                CandleColumns.ALL.stream().filter(c -> !KEY.contains(c)).toList();
        try (CqlSession session = connector.openSession()) {
            // UPDATE, not INSERT: its condition also holds for a row that does not exist (every column is null)
            PreparedStatement update = session.prepare("UPDATE " + table + " SET "
                    + values.stream().map(c -> c + " = :" + c).collect(Collectors.joining(", "))
                    + " WHERE " + KEY.stream().map(c -> c + " = :" + c).collect(Collectors.joining(" AND "))
                    + " IF " + CandleColumns.MERGED_OFFSETS + " = :" + EXPECTED_OFFSETS);
            Map<CandleField, TypeCodec<Object>> codecs = codecs(session, update);
            // Waves: the i-th group of every partition's candles, each group one conditional batch (one Paxos round
            // for up to WRITES_PER_TRANSACTION candles of one partition); never two transactions on one partition at
            // once, which would contend for its Paxos ballot.
            List<List<List<CandleWrite>>> partitions = writes.stream()
                    .collect(Collectors.groupingBy(
                            w -> new Partition(w.key().symbol(), w.key().day()),
                            LinkedHashMap::new,
                            Collectors.toList()))
                    .values()
                    .stream()
                    .map(CassandraCandleStore::groups)
                    .toList();
            Set<Candle.Key> changed = new HashSet<>();
            for (int wave = 0; ; wave++) {
                List<List<CandleWrite>> transactions = new ArrayList<>();
                for (List<List<CandleWrite>> groups : partitions) {
                    if (wave < groups.size()) {
                        transactions.add(groups.get(wave));
                    }
                }
                if (transactions.isEmpty()) {
                    return changed;
                }
                BoundedRequests<Boolean> sent = new BoundedRequests<>(MAX_TRANSACTIONS_IN_FLIGHT);
                for (List<CandleWrite> transaction : transactions) {
                    BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED)
                            .setConsistencyLevel(CONSISTENCY)
                            .setSerialConsistencyLevel(SERIAL);
                    transaction.forEach(w -> batch.addStatement(bind(update, codecs, w)));
                    sent.send(() -> applied(session.executeAsync(batch.build()).toCompletableFuture()));
                }
                List<Boolean> applied = sent.awaitAll();
                for (int i = 0; i < applied.size(); i++) {
                    if (!applied.get(i)) {
                        transactions.get(i).forEach(w -> changed.add(w.key()));
                    }
                }
            }
        }
    }

    private static List<List<CandleWrite>> groups(List<CandleWrite> writes) {
        List<List<CandleWrite>> groups = new ArrayList<>();
        for (int i = 0; i < writes.size(); i += WRITES_PER_TRANSACTION) {
            groups.add(writes.subList(i, Math.min(writes.size(), i + WRITES_PER_TRANSACTION)));
        }
        return groups;
    }

    /** Whether the write was applied; false also when its outcome is unknown (then the merge reads the row again). */
    private static CompletableFuture<Boolean> applied(CompletableFuture<AsyncResultSet> write) {
        return write.handle((result, error) -> {
            if (error == null) {
                return result.wasApplied();
            }
            Throwable cause =
                    error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof DriverException && !(cause instanceof QueryValidationException)) {
                LOG.warn("A candle write's outcome is unknown, its row is read again: {}", cause.toString());
                return false;
            }
            throw error instanceof CompletionException completion ? completion : new CompletionException(cause);
        });
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(500L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading candles", e);
        }
    }

    /** The codec of each column's bind marker, by the type Cassandra gave it. */
    @SuppressWarnings("unchecked")
    private static Map<CandleField, TypeCodec<Object>> codecs(CqlSession session, PreparedStatement update) {
        CodecRegistry registry = session.getContext().getCodecRegistry();
        Map<CandleField, TypeCodec<Object>> codecs = new EnumMap<>(CandleField.class);
        for (CandleField field : CandleField.values()) {
            DataType type = update.getVariableDefinitions().get(field.cqlName()).getType();
            codecs.put(field, (TypeCodec<Object>) registry.codecFor(type));
        }
        return codecs;
    }

    /**
     * The value a write gives a column, as the driver writes it (the column's {@link CandleField.Type#java()}): every
     * column of the table, so that a column added to {@link CandleField} does not compile here until it is written.
     */
    static Object value(CandleField field, MergedCandle merged) {
        Candle c = merged.candle();
        return switch (field) {
            case SYMBOL -> c.symbol();
            case DAY -> c.key().day();
            case MINUTE_START -> Instant.ofEpochMilli(c.minuteStart());
            case OPEN -> c.open();
            case HIGH -> c.high();
            case LOW -> c.low();
            case CLOSE -> c.close();
            case VOLUME -> c.volume();
            case TRADE_COUNT -> c.tradeCount();
            case VWAP -> c.vwap();
            case OPEN_TIME -> c.openTime();
            case OPEN_ID -> UUID.fromString(c.openId());
            case CLOSE_TIME -> c.closeTime();
            case CLOSE_ID -> UUID.fromString(c.closeId());
            case MERGED_QUERY -> merged.query();
            case MERGED_BATCH -> merged.batch();
            case MERGED_OFFSETS -> merged.mergedOffsets();
        };
    }

    private static BoundStatement bind(
            PreparedStatement update, Map<CandleField, TypeCodec<Object>> codecs, CandleWrite write) {
        BoundStatementBuilder b = update.boundStatementBuilder();
        for (CandleField field : CandleField.values()) {
            Object value = value(field, write.after());
            if (value != null) {
                b = b.set(field.cqlName(), value, codecs.get(field));
            } else if (field != CandleField.VWAP) {
                b = b.setToNull(field.cqlName());
            }
            // a null VWAP (the minute has no volume) stays unset: no tombstone, and once set it stays set
        }
        Map<String, Long> expected = write.expectedOffsets();
        b = expected == null
                ? b.setToNull(EXPECTED_OFFSETS)
                : b.setMap(EXPECTED_OFFSETS, expected, String.class, Long.class);
        return b.setConsistencyLevel(CONSISTENCY)
                .setSerialConsistencyLevel(SERIAL)
                .build();
    }

    private static MergedCandle fromRow(Row r) {
        CandleRow row = CandleRow.of(field -> r.getObject(field.cqlName()));
        // the table keeps the VWAP, not the notional: notional = VWAP × volume (0 while the minute has no volume)
        double notional = row.vwap() == null ? 0.0 : row.vwap() * row.volume();
        Candle candle = new Candle(
                row.symbol(),
                row.minuteStart().toEpochMilli(),
                r.getLong(CandleColumns.OPEN_TIME),
                r.getUuid(CandleColumns.OPEN_ID).toString(),
                row.open(),
                row.high(),
                row.low(),
                r.getLong(CandleColumns.CLOSE_TIME),
                r.getUuid(CandleColumns.CLOSE_ID).toString(),
                row.close(),
                row.volume(),
                row.tradeCount(),
                notional);
        Map<String, Long> offsets = r.isNull(CandleColumns.MERGED_OFFSETS)
                ? null
                : r.getMap(CandleColumns.MERGED_OFFSETS, String.class, Long.class);
        return new MergedCandle(
                candle,
                offsets,
                r.getUuid(CandleColumns.MERGED_QUERY),
                r.isNull(CandleColumns.MERGED_BATCH) ? -1 : r.getLong(CandleColumns.MERGED_BATCH));
    }
}
