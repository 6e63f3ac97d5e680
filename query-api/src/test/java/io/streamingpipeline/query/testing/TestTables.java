package io.streamingpipeline.query.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.streamingpipeline.contract.CandleField;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.testing.TradeBuilder;
import io.streamingpipeline.query.domain.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/** The contract's schema in a test keyspace, and rows written as the Spark job writes them. */
public final class TestTables {

    /** The columns a test candle has: its key and its values. */
    private static final List<CandleField> CANDLE_FIELDS =
            CandleField.of(CandleField.Part.KEY, CandleField.Part.CANDLE);

    private final CqlSession session;
    private final String keyspace;
    private PreparedStatement insertTrade;
    private PreparedStatement insertCandle;
    private PreparedStatement insertHourly;
    private PreparedStatement insertDaily;

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
            insertCandle = session.prepare("INSERT INTO " + keyspace + "." + CassandraSchema.CANDLES_TABLE + " ("
                    + String.join(", ", CandleField.names(CANDLE_FIELDS)) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(CANDLE_FIELDS.size(), "?")) + ")");
        }
        CandleRow row = new CandleRow(
                symbol,
                TimeRange.day(minuteStart),
                Instant.ofEpochMilli(minuteStart),
                open,
                high,
                low,
                close,
                volume,
                trades,
                vwap);
        session.execute(insertCandle.bind(CANDLE_FIELDS.stream().map(row::value).toArray()));
    }

    /** A row of the hourly table, as the rollups job writes it: partition (symbol, yyyy-MM of the hour, UTC). */
    public void hourlyCandle(
            String symbol,
            long hourStart,
            double open,
            double high,
            double low,
            double close,
            long trades,
            Double vwap) {
        if (insertHourly == null) {
            insertHourly = session.prepare(rollupInsert(CassandraSchema.CANDLES_1H_TABLE, "month", "hour_start"));
        }
        session.execute(insertHourly.bind(
                symbol,
                utc("yyyy-MM", hourStart),
                Instant.ofEpochMilli(hourStart),
                open,
                high,
                low,
                close,
                1.5,
                trades,
                vwap,
                60));
    }

    /** A row of the daily table, as the rollups job writes it: partition (symbol, yyyy of the day, UTC). */
    public void dailyCandle(
            String symbol,
            long dayStart,
            double open,
            double high,
            double low,
            double close,
            long trades,
            Double vwap) {
        if (insertDaily == null) {
            insertDaily = session.prepare(rollupInsert(CassandraSchema.CANDLES_1D_TABLE, "year", "day_start"));
        }
        session.execute(insertDaily.bind(
                symbol,
                utc("yyyy", dayStart),
                Instant.ofEpochMilli(dayStart),
                open,
                high,
                low,
                close,
                36.0,
                trades,
                vwap,
                1440));
    }

    private String rollupInsert(String table, String bucket, String start) {
        return "INSERT INTO " + keyspace + "." + table + " (symbol, " + bucket + ", " + start
                + ", open, high, low, close, volume, trade_count, vwap, minute_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    private static String utc(String pattern, long unixMillis) {
        return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(unixMillis));
    }
}
