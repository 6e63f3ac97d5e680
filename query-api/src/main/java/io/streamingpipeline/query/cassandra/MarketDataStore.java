package io.streamingpipeline.query.cassandra;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;
import io.smallrye.mutiny.Uni;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.CassandraSchema.RollupColumns;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.query.config.QueryConfig;
import io.streamingpipeline.query.domain.Candle;
import io.streamingpipeline.query.domain.CandleInterval;
import io.streamingpipeline.query.domain.PageToken;
import io.streamingpipeline.query.domain.RollupCandle;
import io.streamingpipeline.query.domain.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The reads of the service, as prepared statements on the partitions a range touches (days of trades and 1-minute
 * candles, months of hourly candles, years of daily candles), each bounded by the range on its clustering column: no
 * ALLOW FILTERING, no token scans. Statements are prepared on first use (Cassandra may be down when the service starts) and again after
 * a failed attempt. While the session has not connected yet, reads fail at once with
 * {@link CassandraUnavailableException} instead of waiting for it.
 */
@ApplicationScoped
public class MarketDataStore {

    /** Rows per page of a candles read (the driver's default, set here so that bench/query's baseline uses it too). */
    public static final int CANDLES_PAGE_SIZE = 5000;

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

    /**
     * The statements of hourly and daily candles, prepared on their first use, apart from the others: a keyspace
     * whose schema predates the rollup tables still serves trades and 1-minute candles.
     */
    private final Map<CandleInterval, CompletableFuture<PreparedStatement>> rollupStatements =
            new ConcurrentHashMap<>();

    /**
     * The CQL of a candles read: the candles of one partition ({@code symbol}, bucket) whose period starts in
     * {@code [?, ?)}, oldest first.
     */
    public static String candlesCql(String keyspace, CandleInterval interval) {
        String start = interval.startColumn();
        List<String> columns = interval == CandleInterval.ONE_MINUTE
                ? CandleColumns.CANDLE
                : Stream.concat(Stream.of(start), RollupColumns.VALUES.stream()).toList();
        return "SELECT " + String.join(", ", columns)
                + " FROM " + CassandraSchema.keyspace(keyspace) + "." + interval.table()
                + " WHERE " + CandleColumns.SYMBOL + " = ? AND " + interval.bucketColumn() + " = ? AND " + start
                + " >= ? AND " + start + " < ? ORDER BY " + start + " ASC";
    }

    /** Candles of the minutes starting in {@code range}, oldest first (one query per UTC day, run together). */
    public Uni<List<Candle>> candles(String symbol, TimeRange range) {
        return read(symbol, CandleInterval.ONE_MINUTE, range, MarketDataStore::candle);
    }

    /**
     * Hourly or daily candles of the periods starting in {@code range}, oldest first (one query per month or year
     * partition, run together).
     */
    public Uni<List<RollupCandle>> rollups(String symbol, CandleInterval interval, TimeRange range) {
        if (interval == CandleInterval.ONE_MINUTE) {
            throw new IllegalArgumentException("1-minute candles are read by candles()");
        }
        return read(symbol, interval, range, row -> rollup(symbol, row));
    }

    private <T> Uni<List<T>> read(String symbol, CandleInterval interval, TimeRange range, Function<Row, T> mapper) {
        return statements().chain(s -> {
            Uni<PreparedStatement> statement = interval == CandleInterval.ONE_MINUTE
                    ? Uni.createFrom().item(s.candles())
                    : rollupStatement(s.session(), interval);
            return statement.chain(prepared -> read(s.session(), prepared, symbol, interval, range, mapper));
        });
    }

    private static <T> Uni<List<T>> read(
            QuarkusCqlSession session,
            PreparedStatement statement,
            String symbol,
            CandleInterval interval,
            TimeRange range,
            Function<Row, T> mapper) {
        List<Uni<List<T>>> partitions = new ArrayList<>();
        for (String bucket : interval.bucketsOldestFirst(range)) {
            BoundStatement bound = statement
                    .bind(symbol, bucket, Instant.ofEpochMilli(range.from()), Instant.ofEpochMilli(range.to()))
                    .setPageSize(CANDLES_PAGE_SIZE);
            partitions.add(readAll(session, bound, mapper));
        }
        if (partitions.size() == 1) {
            return partitions.get(0);
        }
        return Uni.combine().all().unis(partitions).with(lists -> {
            List<T> all = new ArrayList<>();
            for (Object list : lists) {
                @SuppressWarnings("unchecked")
                List<T> rows = (List<T>) list;
                all.addAll(rows);
            }
            return all;
        });
    }

    private Uni<PreparedStatement> rollupStatement(QuarkusCqlSession session, CandleInterval interval) {
        CompletableFuture<PreparedStatement> prepared = rollupStatements.compute(
                interval,
                (key, current) -> current == null || current.isCompletedExceptionally()
                        ? session.prepareAsync(candlesCql(keyspace, key)).toCompletableFuture()
                        : current);
        return Uni.createFrom().completionStage(prepared).onFailure().transform(DriverErrors::unwrap);
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

    /** Every column of the key and the candle ({@link CandleRow}), by its position in {@link #candlesCql}'s select. */
    private static Candle candle(Row row) {
        return Candle.of(CandleRow.ofSelected(row::getObject));
    }

    private static RollupCandle rollup(String symbol, Row row) {
        return new RollupCandle(
                symbol,
                row.getInstant(0).toEpochMilli(), // hour_start or day_start
                row.getDouble(RollupColumns.OPEN),
                row.getDouble(RollupColumns.HIGH),
                row.getDouble(RollupColumns.LOW),
                row.getDouble(RollupColumns.CLOSE),
                row.getDouble(RollupColumns.VOLUME),
                row.getLong(RollupColumns.TRADE_COUNT),
                row.isNull(RollupColumns.VWAP) ? null : row.getDouble(RollupColumns.VWAP),
                row.isNull(RollupColumns.MINUTE_COUNT) ? null : row.getInt(RollupColumns.MINUTE_COUNT));
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
        String tradeColumns =
                Arrays.stream(TradeField.values()).map(TradeField::cqlName).collect(Collectors.joining(", "));
        var candlesStatement = session.prepareAsync(candlesCql(keyspace, CandleInterval.ONE_MINUTE))
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
