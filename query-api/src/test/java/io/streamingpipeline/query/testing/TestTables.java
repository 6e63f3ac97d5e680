package io.streamingpipeline.query.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.query.domain.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The contract's schema in a test keyspace, and rows written as the Spark job writes them. */
public final class TestTables {

    private final CqlSession session;
    private final String keyspace;
    private PreparedStatement insertTrade;
    private PreparedStatement insertCandle;

    public TestTables(CqlSession session, String keyspace) {
        this.session = session;
        this.keyspace = keyspace;
    }

    /** Creates the keyspace and tables from the contract's CQL (idempotent); TTLs off so old test rows stay. */
    public TestTables applySchema() {
        for (String statement : CassandraSchema.statements(
                keyspace, CassandraSchema.Replication.simple(1), Duration.ZERO, Duration.ZERO)) {
            session.execute(statement);
        }
        return this;
    }

    public void trade(String symbol, long timestampUnix, UUID id, double price, double volume) {
        if (insertTrade == null) {
            insertTrade = session.prepare(
                    "INSERT INTO " + keyspace + "." + CassandraSchema.TRADES_TABLE
                            + " (symbol, day, timestamp_unix, id, price, volume, conditions, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        }
        session.execute(insertTrade.bind(
                symbol,
                TimeRange.day(timestampUnix),
                timestampUnix,
                id,
                price,
                volume,
                List.of("1"),
                timestampUnix + 5));
    }

    public void candle(
            String symbol,
            long minuteStart,
            double open,
            double high,
            double low,
            double close,
            double volume,
            long trades,
            Double vwap) {
        if (insertCandle == null) {
            insertCandle = session.prepare("INSERT INTO " + keyspace + "." + CassandraSchema.CANDLES_TABLE
                    + " (symbol, day, minute_start, open, high, low, close, volume, trade_count, vwap)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        session.execute(insertCandle.bind(
                symbol,
                TimeRange.day(minuteStart),
                Instant.ofEpochMilli(minuteStart),
                open,
                high,
                low,
                close,
                volume,
                trades,
                vwap));
    }
}
