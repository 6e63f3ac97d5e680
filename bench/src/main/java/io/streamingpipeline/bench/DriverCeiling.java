package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * bench/sink's ceiling: the same rows written by the Java driver itself as the connector writes them, swept over
 * in-flight counts, each pass into its own keyspace with the contract's schema.
 */
final class DriverCeiling {

    static final String SINK = CassandraSchema.TRADES_TABLE;

    private final SinkOptions o;

    DriverCeiling(SinkOptions o) {
        this.o = o;
    }

    static String text(Sweep sweep) {
        StringBuilder out = new StringBuilder();
        for (Pass p : sweep.passes) {
            out.append(out.length() == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%d: %,.0f", p.inFlight, p.rowsPerSecond));
        }
        return out.toString();
    }

    /** One pass of the ceiling: all M rows at one in-flight count. */
    record Pass(String keyspace, int inFlight, double rowsPerSecond, long retried) {}

    /** A sweep over the in-flight counts; the best pass is the ceiling candidate. */
    record Sweep(List<Pass> passes) {
        Pass best() {
            return passes.stream()
                    .max(Comparator.comparingDouble(Pass::rowsPerSecond))
                    .orElseThrow();
        }
    }

    static String ceilingKeyspace(String when, int inFlight) {
        return "sink_ceiling_" + when + "_" + inFlight;
    }

    /**
     * The best the driver does with the same rows: unlogged batches of up to {@code ceilingBatchRows} rows of one
     * {@code (symbol, day)} partition (what the connector sends with {@code batch.grouping.key=partition}), null
     * columns left unset (the job's {@code ignoreNulls}), LOCAL_QUORUM, at each in-flight count of the sweep, each
     * pass into its own keyspace, after a warm-up of the first tenth (at most 30,000 rows). Failed batches (timeouts
     * on a loaded machine) are retried one by one (up to 5 times each), inside the timed pass.
     */
    Sweep sweep(CqlSession session, String when, List<Trade> trades, ProcessCpu cpu) throws InterruptedException {
        List<Pass> passes = new ArrayList<>();
        boolean warm = false;
        for (int inFlight : o.ceilingInFlight) {
            String keyspace = ceilingKeyspace(when, inFlight);
            PreparedStatement insert = session.prepare(insertCql(keyspace));
            if (!warm) {
                writeAll(
                        session,
                        insert,
                        trades.subList(0, Math.min(30_000, Math.max(1, trades.size() / 10))),
                        inFlight);
                warm = true;
            }
            PhaseLoad load = PhaseLoad.start(cpu, session);
            long t0 = System.nanoTime();
            long retried = writeAll(session, insert, trades, inFlight);
            double secs = (System.nanoTime() - t0) / 1e9;
            String loadText = load.since(trades.size());
            Pass pass = new Pass(keyspace, inFlight, trades.size() / secs, retried);
            passes.add(pass);
            System.out.printf(
                    Locale.ROOT,
                    "  ceiling %s: %,d rows in %.1f s = %,.0f rows/s (batches of <= %d rows of one "
                            + "partition, %d batches in flight, %d batches retried); load %s%n"
                            + "    %s%n",
                    keyspace,
                    trades.size(),
                    secs,
                    pass.rowsPerSecond,
                    o.ceilingBatchRows,
                    inFlight,
                    retried,
                    Machine.loadAverages(),
                    loadText);
        }
        return new Sweep(passes);
    }

    /** Rows grouped by {@code (symbol, day)} partition, in their order, cut into batches of at most {@code rows}. */
    static List<List<Trade>> partitionBatches(List<Trade> trades, int rows) {
        Map<List<String>, List<Trade>> byPartition = new LinkedHashMap<>();
        for (Trade t : trades) {
            byPartition
                    .computeIfAbsent(List.of(t.symbol(), SinkTrades.day(t.timestampUnix())), k -> new ArrayList<>())
                    .add(t);
        }
        List<List<Trade>> batches = new ArrayList<>();
        for (List<Trade> partition : byPartition.values()) {
            for (int i = 0; i < partition.size(); i += rows) {
                batches.add(partition.subList(i, Math.min(partition.size(), i + rows)));
            }
        }
        return batches;
    }

    private long writeAll(CqlSession session, PreparedStatement insert, List<Trade> trades, int inFlightCount)
            throws InterruptedException {
        List<TypeCodec<Object>> codecs = codecs(session, insert);
        Semaphore inFlight = new Semaphore(inFlightCount);
        ConcurrentLinkedQueue<BatchStatement> failed = new ConcurrentLinkedQueue<>();
        for (List<Trade> rows : partitionBatches(trades, o.ceilingBatchRows)) {
            BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED)
                    .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM);
            for (Trade t : rows) {
                batch.addStatement(bind(insert, codecs, t));
            }
            BatchStatement statement = batch.build();
            inFlight.acquire();
            session.executeAsync(statement).whenComplete((rs, e) -> {
                if (e != null) {
                    failed.add(statement);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(inFlightCount);
        for (BatchStatement b : failed) {
            for (int attempt = 1; ; attempt++) {
                try {
                    session.execute(b.setTimeout(Duration.ofSeconds(60)));
                    break;
                } catch (DriverException e) {
                    if (attempt >= 5) {
                        throw e;
                    }
                }
            }
        }
        return failed.size();
    }

    /** An INSERT of every column of the trades table, in the order of {@link TradeColumns#ALL}. */
    static String insertCql(String keyspace) {
        return "INSERT INTO " + keyspace + "." + SINK + " (" + String.join(", ", TradeColumns.ALL) + ") VALUES ("
                + String.join(", ", Collections.nCopies(TradeColumns.ALL.size(), "?")) + ")";
    }

    /** The value of a trade's column: the partition's day, or the value of its {@link TradeField} (null: absent). */
    static Object value(Trade t, String column) {
        if (TradeColumns.DAY.equals(column)) {
            return SinkTrades.day(t.timestampUnix());
        }
        TradeField field = TradeField.ofJsonName(column);
        if (field == null) {
            throw new IllegalArgumentException("the ceiling has no value for column " + column + " of " + SINK);
        }
        return t.value(field);
    }

    /** The codecs of the INSERT's columns, by the types Cassandra gave its bind markers. */
    @SuppressWarnings("unchecked")
    private static List<TypeCodec<Object>> codecs(CqlSession session, PreparedStatement insert) {
        CodecRegistry registry = session.getContext().getCodecRegistry();
        List<TypeCodec<Object>> codecs = new ArrayList<>();
        for (ColumnDefinition column : insert.getVariableDefinitions()) {
            codecs.add((TypeCodec<Object>) registry.codecFor(column.getType()));
        }
        return codecs;
    }

    /** One row; a null column stays unset (no tombstone), as the job writes it. */
    private static BoundStatement bind(PreparedStatement insert, List<TypeCodec<Object>> codecs, Trade t) {
        BoundStatementBuilder row = insert.boundStatementBuilder();
        for (int i = 0; i < TradeColumns.ALL.size(); i++) {
            Object value = value(t, TradeColumns.ALL.get(i));
            row = value == null ? row.unset(i) : row.set(i, value, codecs.get(i));
        }
        return row.build();
    }

    static long count(CqlSession session, String keyspace, Set<List<String>> partitions) {
        PreparedStatement count = session.prepare(
                String.format(Locale.ROOT, "SELECT COUNT(*) FROM %s.%s WHERE symbol = ? AND day = ?", keyspace, SINK));
        long total = 0;
        for (List<String> p : partitions) {
            total += session.execute(count.bind(p.get(0), p.get(1)).setTimeout(Duration.ofSeconds(60)))
                    .one()
                    .getLong(0);
        }
        return total;
    }
}
