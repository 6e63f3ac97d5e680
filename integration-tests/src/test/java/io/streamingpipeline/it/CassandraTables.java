package io.streamingpipeline.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.Trade;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the job wrote, read back with the driver as the application role. */
final class CassandraTables {

    /**
     * A row of {@code crypto_trades}: its day and every field of the contract (conditions: Cassandra returns an empty
     * list for null and []).
     */
    record TradeRow(String day, Trade trade) {
        String symbol() {
            return trade.symbol();
        }

        UUID id() {
            return trade.id();
        }

        long timestampUnix() {
            return trade.timestampUnix();
        }

        double price() {
            return trade.price();
        }

        double volume() {
            return trade.volume();
        }

        List<String> conditions() {
            return trade.conditions();
        }

        long ingestedAt() {
            return trade.ingestedAt();
        }
    }

    private CassandraTables() {}

    /** Creates keyspace and tables with the contract's CQL (what the job's --apply-schema runs). */
    static void createSchema(CqlSession session, String keyspace) {
        for (String statement : CassandraSchema.statements(
                keyspace,
                CassandraSchema.Replication.simple(1),
                CassandraSchema.DEFAULT_TRADES_TTL,
                CassandraSchema.DEFAULT_CANDLES_TTL)) {
            session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(60)));
        }
    }

    static List<TradeRow> trades(CqlSession session, String keyspace) {
        List<TradeRow> rows = new ArrayList<>();
        for (Row r : session.execute(SimpleStatement.newInstance("SELECT " + String.join(", ", TradeColumns.ALL)
                        + " FROM " + keyspace + "." + CassandraSchema.TRADES_TABLE)
                .setPageSize(5000))) {
            rows.add(new TradeRow(r.getString(TradeColumns.DAY), Trade.of(f -> r.getObject(f.cqlName()))));
        }
        return rows;
    }

    /** Rows of {@code crypto_trades}, counted here (a server-side count(*) without partition key warns at every call). */
    static long tradeCount(CqlSession session, String keyspace) {
        long count = 0;
        for (Row ignored : session.execute(
                SimpleStatement.newInstance("SELECT id FROM " + keyspace + "." + CassandraSchema.TRADES_TABLE)
                        .setPageSize(5000)
                        .setTimeout(Duration.ofSeconds(30)))) {
            count++;
        }
        return count;
    }

    static List<CandleRow> candles(CqlSession session, String keyspace) {
        List<CandleRow> candles = new ArrayList<>();
        for (Row r : session.execute(SimpleStatement.newInstance("SELECT " + String.join(", ", CandleColumns.CANDLE)
                        + " FROM " + keyspace + "." + CassandraSchema.CANDLES_TABLE)
                .setPageSize(5000))) {
            candles.add(CandleRow.of(field -> r.getObject(field.cqlName())));
        }
        return candles;
    }
}
