package io.streamingpipeline.query.cassandra;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;
import io.smallrye.mutiny.Uni;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.query.config.QueryConfig;
import io.streamingpipeline.query.domain.Candle;
import io.streamingpipeline.query.domain.PageToken;
import io.streamingpipeline.query.domain.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The reads of the service, as prepared statements on the day partitions a range touches: no ALLOW FILTERING, no
 * token scans. Statements are prepared on first use (Cassandra may be down when the service starts) and again after
 * a failed attempt. While the session has not connected yet, reads fail at once with
 * {@link CassandraUnavailableException} instead of waiting for it.
 */
@ApplicationScoped
public class MarketDataStore {

    private final CompletionStage<QuarkusCqlSession> sessionStage;
    private final String keyspace;
    private volatile CompletableFuture<Statements> statements;

    public MarketDataStore(CompletionStage<QuarkusCqlSession> sessionStage, QueryConfig config) {
        this.sessionStage = sessionStage;
        this.keyspace = CassandraSchema.keyspace(config.keyspace());
    }

    private record Statements(
            QuarkusCqlSession session,
            PreparedStatement candles,
            PreparedStatement trades,
            PreparedStatement tradesAfter) {}

    /** Candles of the minutes starting in {@code range}, oldest first (one query per UTC day, run together). */
    public Uni<List<Candle>> candles(String symbol, TimeRange range) {
        return statements().chain(s -> {
            List<Uni<List<Candle>>> days = new ArrayList<>();
            for (String day : range.daysOldestFirst()) {
                BoundStatement bound = s.candles()
                        .bind(symbol, day, Instant.ofEpochMilli(range.from()), Instant.ofEpochMilli(range.to()));
                days.add(readAll(s.session(), bound, row -> candle(symbol, row)));
            }
            if (days.size() == 1) {
                return days.get(0);
            }
            return Uni.combine().all().unis(days).with(lists -> {
                List<Candle> all = new ArrayList<>();
                for (Object list : lists) {
                    @SuppressWarnings("unchecked")
                    List<Candle> candles = (List<Candle>) list;
                    all.addAll(candles);
                }
                return all;
            });
        });
    }

    /**
     * Up to {@code max} trades in {@code range}, newest first, after {@code after} when given: the day partitions
     * are read one after the other, newest first, until {@code max} trades are found.
     */
    public Uni<List<Trade>> trades(String symbol, TimeRange range, PageToken after, int max) {
        return statements().chain(s -> {
            long upper = after == null ? range.to() : Math.min(range.to(), after.timestampUnix() + 1);
            List<String> days = new TimeRange(range.from(), Math.max(upper, range.from() + 1)).daysNewestFirst();
            return tradesFromDay(s, symbol, range, after, days, 0, max, new ArrayList<>());
        });
    }

    private Uni<List<Trade>> tradesFromDay(
            Statements s,
            String symbol,
            TimeRange range,
            PageToken after,
            List<String> days,
            int index,
            int max,
            List<Trade> found) {
        if (index >= days.size() || found.size() >= max) {
            return Uni.createFrom().item(found);
        }
        String day = days.get(index);
        int wanted = max - found.size();
        BoundStatement bound;
        if (after != null && day.equals(TimeRange.day(after.timestampUnix()))) {
            bound = s.tradesAfter().bind(symbol, day, after.timestampUnix(), after.id(), range.from(), wanted);
        } else {
            long to = after == null ? range.to() : Math.min(range.to(), after.timestampUnix());
            bound = s.trades().bind(symbol, day, range.from(), to, wanted);
        }
        bound = bound.setPageSize(Math.max(wanted, 1));
        return readAll(s.session(), bound, MarketDataStore::trade).chain(trades -> {
            found.addAll(trades);
            return tradesFromDay(s, symbol, range, after, days, index + 1, max, found);
        });
    }

    private static Candle candle(String symbol, Row row) {
        return new Candle(
                symbol,
                row.getInstant(CandleColumns.MINUTE_START).toEpochMilli(),
                row.getDouble(CandleColumns.OPEN),
                row.getDouble(CandleColumns.HIGH),
                row.getDouble(CandleColumns.LOW),
                row.getDouble(CandleColumns.CLOSE),
                row.getDouble(CandleColumns.VOLUME),
                row.getLong(CandleColumns.TRADE_COUNT),
                row.isNull(CandleColumns.VWAP) ? null : row.getDouble(CandleColumns.VWAP));
    }

    /** Every field of the contract from its column; Cassandra returns an empty list for null and []: both are null. */
    private static Trade trade(Row row) {
        return Trade.of(field -> {
            Object value = row.getObject(field.cqlName());
            return value instanceof List<?> list && list.isEmpty() ? null : value;
        });
    }

    /** Every page of a (bounded) result, mapped on the driver's thread. */
    private static <T> Uni<List<T>> readAll(
            QuarkusCqlSession session, BoundStatement statement, Function<Row, T> mapper) {
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        List<T> rows = new ArrayList<>();
        session.executeAsync(statement).whenComplete((page, error) -> collect(page, error, rows, mapper, result));
        return Uni.createFrom().completionStage(result);
    }

    private static <T> void collect(
            AsyncResultSet page,
            Throwable error,
            List<T> rows,
            Function<Row, T> mapper,
            CompletableFuture<List<T>> result) {
        if (error != null) {
            result.completeExceptionally(DriverErrors.unwrap(error));
            return;
        }
        for (Row row : page.currentPage()) {
            rows.add(mapper.apply(row));
        }
        if (page.hasMorePages()) {
            page.fetchNextPage().whenComplete((next, e) -> collect(next, e, rows, mapper, result));
        } else {
            result.complete(rows);
        }
    }

    private Uni<Statements> statements() {
        CompletableFuture<Statements> current = statements;
        if (current == null || current.isCompletedExceptionally()) {
            CompletableFuture<QuarkusCqlSession> session = sessionStage.toCompletableFuture();
            if (!session.isDone()) {
                return Uni.createFrom()
                        .failure(new CassandraUnavailableException(
                                "not connected to Cassandra yet (the driver keeps trying the contact points)", null));
            }
            synchronized (this) {
                current = statements;
                if (current == null || current.isCompletedExceptionally()) {
                    current = prepare(session.join());
                    statements = current;
                }
            }
        }
        return Uni.createFrom().completionStage(current);
    }

    private CompletableFuture<Statements> prepare(QuarkusCqlSession session) {
        String trades = keyspace + "." + CassandraSchema.TRADES_TABLE;
        String candles = keyspace + "." + CassandraSchema.CANDLES_TABLE;
        String tradeColumns =
                Arrays.stream(TradeField.values()).map(TradeField::cqlName).collect(Collectors.joining(", "));
        var candlesStatement = session.prepareAsync(
                        "SELECT "
                                + String.join(
                                        ", ",
                                        CandleColumns.MINUTE_START,
                                        CandleColumns.OPEN,
                                        CandleColumns.HIGH,
                                        CandleColumns.LOW,
                                        CandleColumns.CLOSE,
                                        CandleColumns.VOLUME,
                                        CandleColumns.TRADE_COUNT,
                                        CandleColumns.VWAP)
                                + " FROM " + candles
                                + " WHERE symbol = ? AND day = ? AND minute_start >= ? AND minute_start < ? ORDER BY minute_start ASC")
                .toCompletableFuture();
        var tradesStatement = session.prepareAsync("SELECT " + tradeColumns + " FROM " + trades
                        + " WHERE symbol = ? AND day = ? AND timestamp_unix >= ? AND timestamp_unix < ? LIMIT ?")
                .toCompletableFuture();
        var tradesAfterStatement = session.prepareAsync(
                        "SELECT " + tradeColumns + " FROM " + trades
                                + " WHERE symbol = ? AND day = ? AND (timestamp_unix, id) < (?, ?) AND (timestamp_unix) >= (?) LIMIT ?")
                .toCompletableFuture();
        return CompletableFuture.allOf(candlesStatement, tradesStatement, tradesAfterStatement)
                .thenApply(ignored -> new Statements(
                        session, candlesStatement.join(), tradesStatement.join(), tradesAfterStatement.join()));
    }
}
