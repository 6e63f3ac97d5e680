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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

/**
 * The candle table, read and written from the driver through the spark-cassandra-connector's session (its
 * {@code spark.cassandra.*} connection settings). A micro-batch touches a few candles per symbol, so this is a
 * handful of single-row requests, sent concurrently.
 *
 * <p>Reads and writes are {@code LOCAL_QUORUM} whatever the connector's consistency settings: a merge must read the
 * previous batch's write, on any replica count.
 */
public final class CassandraCandleStore implements CandleStore {

    private static final ConsistencyLevel CONSISTENCY = ConsistencyLevel.LOCAL_QUORUM;

    private final CassandraConnector connector;
    private final String table;

    public CassandraCandleStore(CassandraConnector connector, String keyspace, String table) {
        this.connector = connector;
        this.table = keyspace + "." + table;
    }

    @Override
    public Map<Candle.Key, MergedCandle> read(Collection<Candle.Key> keys) {
        try (CqlSession session = connector.openSession()) {
            PreparedStatement select = session.prepare("SELECT " + String.join(", ", CandleColumns.ALL) + " FROM "
                    + table + " WHERE " + CandleColumns.SYMBOL + " = ? AND " + CandleColumns.DAY + " = ? AND "
                    + CandleColumns.MINUTE_START + " = ?");
            List<CompletableFuture<AsyncResultSet>> reads = new ArrayList<>();
            for (Candle.Key key : keys) {
                reads.add(session.executeAsync(select.bind(key.symbol(), key.day(), Instant.ofEpochMilli(key.minuteStart()))
                        .setConsistencyLevel(CONSISTENCY)).toCompletableFuture());
            }
            Map<Candle.Key, MergedCandle> stored = new HashMap<>();
            for (CompletableFuture<AsyncResultSet> read : reads) {
                Row row = join(read).one();
                // a candle written before the table had the merge columns (an upgrade in mid-minute) is replaced
                if (row != null && !row.isNull(CandleColumns.MERGED_QUERY)) {
                    MergedCandle candle = fromRow(row);
                    stored.put(candle.candle().key(), candle);
                }
            }
            return stored;
        }
    }

    @Override
    public void write(Collection<MergedCandle> candles) {
        if (candles.isEmpty()) {
            return;
        }
        try (CqlSession session = connector.openSession()) {
            PreparedStatement insert = session.prepare("INSERT INTO " + table + " (" + String.join(", ", CandleColumns.ALL)
                    + ") VALUES (" + CandleColumns.ALL.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")");
            List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
            for (MergedCandle candle : candles) {
                writes.add(session.executeAsync(bind(insert, candle).setConsistencyLevel(CONSISTENCY).build())
                        .toCompletableFuture());
            }
            writes.forEach(CassandraCandleStore::join);
        }
    }

    private static BoundStatementBuilder bind(PreparedStatement insert, MergedCandle merged) {
        Candle c = merged.candle();
        BoundStatementBuilder b = insert.boundStatementBuilder()
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
                .setLong(CandleColumns.MERGED_BATCH, merged.batch());
        Double vwap = c.vwap();
        // left unset while the minute has no volume: no tombstone (once set, it stays set: volume only grows)
        return vwap == null ? b : b.setDouble(CandleColumns.VWAP, vwap);
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
        return new MergedCandle(candle, r.getUuid(CandleColumns.MERGED_QUERY), r.getLong(CandleColumns.MERGED_BATCH));
    }

    private static AsyncResultSet join(CompletableFuture<AsyncResultSet> request) {
        try {
            return request.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
