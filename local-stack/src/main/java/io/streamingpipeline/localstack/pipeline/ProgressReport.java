package io.streamingpipeline.localstack.pipeline;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.simulator.FeedSimulator;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every few seconds: what the feed delivered, what the ingestor read and Kafka acknowledged, what the job stored in
 * Cassandra and how far it is behind Kafka, and the latest 1-minute candle of each symbol.
 */
final class ProgressReport {

    private final PrintStream out;
    private final KafkaBroker kafka;
    private final IngestorProcess ingestor;
    private final JobSupervisor job;
    private final JobEndpoint jobEndpoint;
    private final FeedSimulator simulator;
    private final CqlSession session;
    private final List<String> symbols;
    private final PreparedStatement latestCandle;

    /** @param job the job's driver, checked (and submitted again when it exited) before each report */
    ProgressReport(
            PrintStream out,
            KafkaBroker kafka,
            IngestorProcess ingestor,
            JobSupervisor job,
            int jobHealthPort,
            FeedSimulator simulator,
            CqlSession session,
            List<String> symbols) {
        this.out = out;
        this.kafka = kafka;
        this.ingestor = ingestor;
        this.job = job;
        this.jobEndpoint = new JobEndpoint(jobHealthPort);
        this.simulator = simulator;
        this.session = session;
        this.symbols = symbols;
        this.latestCandle = session.prepare("SELECT minute_start, open, high, low, close, volume, trade_count FROM "
                + CassandraSchema.DEFAULT_KEYSPACE + "." + CassandraSchema.CANDLES_TABLE
                + " WHERE symbol = ? AND day = ? ORDER BY minute_start DESC LIMIT 1");
    }

    /** A symbol without a trade for this long is shown in the progress line. */
    static final double QUIET_SECONDS = 30;

    void runUntil(Duration duration, Duration every) {
        long start = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        double lastReceived = 0;
        double lastPublished = 0;
        double lastStored = 0;
        RowsWritten rows = new RowsWritten();
        long lastAt = start;
        while (System.nanoTime() < end) {
            PipelineMain.sleep(Math.min(every.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            checkAlive();
            long now = System.nanoTime();
            double seconds = (now - lastAt) / 1e9;
            PrometheusText m;
            try {
                m = ingestor.metrics();
            } catch (UncheckedIOException e) {
                out.println("  (ingestor metrics unavailable: " + e.getMessage() + ")");
                continue;
            }
            double received = m.value("ingestor_trades_received_total");
            double published = m.value("ingestor_trades_published_total");
            Optional<PrometheusText> reported = jobEndpoint.metrics();
            PrometheusText jobMetrics = reported.orElse(new PrometheusText(""));
            double stored = rows.total(
                    job.current().map(SparkDriver::pid).orElse(-1L),
                    reported.map(r -> r.value("trades_job_rows_written_total", "sink", CassandraSchema.TRADES_TABLE)));
            double lag = jobMetrics.value("trades_job_kafka_max_offsets_behind_latest", "query", "trades");
            long inKafka = kafka.endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            out.printf(
                    Locale.ROOT,
                    "[%5ds] feed %-10s received %,d (%,.0f/s)  published %,d (%,.0f/s)  rejected %,d  lost %,d  %s"
                            + "| Kafka %,d  | Cassandra rows %,d (%,.0f/s)  job lag %,.0f  ready: ingestor=%s job=%s%s%n",
                    Duration.ofNanos(now - start).toSeconds(),
                    state(m),
                    (long) received,
                    (received - lastReceived) / seconds,
                    (long) published,
                    (published - lastPublished) / seconds,
                    (long) m.value("ingestor_trades_rejected_total"),
                    (long) m.value("ingestor_trades_lost_total"),
                    gaps(m),
                    inKafka,
                    (long) stored,
                    (stored - lastStored) / seconds,
                    lag,
                    ingestor.status("/q/health/ready") == 200 ? "UP" : "DOWN",
                    jobEndpoint.status("/health/ready") == 200 ? "UP" : "DOWN",
                    simulator == null
                            ? ""
                            : String.format(
                                    Locale.ROOT,
                                    "  (simulator sent %,d)",
                                    simulator.groundTruth().totalTrades()));
            printCandles();
            lastReceived = received;
            lastPublished = published;
            lastStored = stored;
            lastAt = now;
        }
    }

    /**
     * What the ingestor could not see: seconds without a subscribed feed (Finnhub has no replay), the gap still open,
     * and symbols without a trade for {@link #QUIET_SECONDS} s.
     */
    private String gaps(PrometheusText m) {
        StringBuilder line =
                new StringBuilder(String.format(Locale.ROOT, "gaps %.0fs", m.value("ingestor_feed_gap_seconds_total")));
        double open = m.value("ingestor_feed_disconnected_seconds");
        if (open > 0) {
            line.append(String.format(Locale.ROOT, " (down %.0fs)", open));
        }
        for (String symbol : symbols) {
            double quiet = m.value("ingestor_feed_symbol_last_trade_age_seconds", "symbol", symbol);
            if (quiet >= QUIET_SECONDS) {
                line.append(String.format(Locale.ROOT, " %s quiet %.0fs", symbol, quiet));
            }
        }
        return line.append("  ").toString();
    }

    private void printCandles() {
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        StringBuilder line = new StringBuilder("         latest candles:");
        for (String symbol : symbols) {
            Row row;
            try {
                row = session.execute(latestCandle.bind(symbol, day)).one();
            } catch (RuntimeException e) {
                out.println("         (candles unavailable: " + e.getMessage() + ")");
                return;
            }
            if (row == null) {
                line.append("  ").append(symbol).append(" -");
                continue;
            }
            Instant minute = row.getInstant("minute_start");
            line.append(String.format(
                    Locale.ROOT,
                    "  %s %s o=%s h=%s l=%s c=%s n=%d",
                    symbol,
                    minute == null ? "?" : minute.toString().substring(11, 16),
                    num(row.getDouble("open")),
                    num(row.getDouble("high")),
                    num(row.getDouble("low")),
                    num(row.getDouble("close")),
                    row.getLong("trade_count")));
        }
        out.println(line);
    }

    private static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private void checkAlive() {
        if (!ingestor.isAlive()) {
            throw new IllegalStateException("the ingestor exited; its log ends with:\n" + ingestor.logTail(30));
        }
        // e.g. Cassandra was unreachable for a batch: the query fails and the driver exits (docs/reliability.md).
        // The checkpoint makes a resubmission continue exactly where the failed batch started.
        job.check();
        if (!kafka.isRunning()) {
            throw new IllegalStateException("Kafka exited; see " + kafka.logFile());
        }
    }

    /**
     * The rows the job wrote since the pipeline started: each driver counts from 0, so the counts of the drivers before
     * the running one are added; while no driver answers, the last total stands.
     */
    private static final class RowsWritten {
        private long driverPid = -1;
        private double driverRows;
        private double earlierDrivers;

        double total(long pid, Optional<Double> reported) {
            if (pid != driverPid) {
                earlierDrivers += driverRows;
                driverRows = 0;
                driverPid = pid;
            }
            driverRows = reported.orElse(driverRows);
            return earlierDrivers + driverRows;
        }
    }

    private static String state(PrometheusText m) {
        return switch ((int) m.value("ingestor_feed_connection_state")) {
            case 3 -> "subscribed";
            case 2 -> "connected";
            case 1 -> "connecting";
            default -> "down";
        };
    }
}
