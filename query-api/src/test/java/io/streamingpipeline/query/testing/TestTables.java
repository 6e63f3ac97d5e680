package io.streamingpipeline.query.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.testing.TradeBuilder;
import io.streamingpipeline.query.domain.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
        trade(TradeBuilder.trade()
                .symbol(symbol)
                .timestampUnix(timestampUnix)
                .id(id)
                .price(price)
                .volume(volume)
                .conditions("1")
                .ingestedAt(timestampUnix + 5)
                .build());
    }

    /** A row with every field of the trade, as the job writes it. */
    public void trade(Trade trade) {
        if (insertTrade == null) {
            List<String> columns = new ArrayList<>(List.of(CassandraSchema.TradeColumns.DAY));
            columns.addAll(
                    Arrays.stream(TradeField.values()).map(TradeField::cqlName).toList());
            insertTrade = session.prepare("INSERT INTO " + keyspace + "." + CassandraSchema.TRADES_TABLE + " ("
                    + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(columns.size(), "?"))
                    + ")");
        }
        List<Object> values = new ArrayList<>(List.of(TimeRange.day(trade.timestampUnix())));
        for (TradeField field : TradeField.values()) {
            values.add(trade.value(field));
        }
        session.execute(insertTrade.bind(values.toArray()));
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
