package io.streamingpipeline.query.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.cassandra.SharedCassandra;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.query.cassandra.MarketDataStore;
import io.streamingpipeline.query.domain.CandleInterval;
import io.streamingpipeline.query.domain.TimeRange;
import io.streamingpipeline.query.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logmanager.LogContext;

/**
 * bench/query: {@code GET /api/candles/{symbol}} for the last hour under 32 concurrent clients (wrk) against the
 * packaged service on a real Cassandra node, and, in the same run, the best the driver alone does with the service's
 * query: the same prepared statement ({@link MarketDataStore#candlesCql}), page size, consistency level and role, each
 * row read as the service reads it ({@link CandleRow#ofSelected}), at each in-flight count of
 * {@code --driver-in-flight} (a sweep, best kept). Lines {@code SWEEP ...}, {@code CPU_US ...} (µs of CPU per request of the service's JVM and of
 * Cassandra while wrk runs, and per query of this JVM and of Cassandra at the sweep's best step), then last
 * {@code RESULT query_p99_ms=<x> query_per_s=<n> driver_best_per_s=<n> driver_best_in_flight=<n> ratio=<x>}.
 *
 * <p>The sweep runs first, so that both measurements find Cassandra's JIT done: a node started for the run still
 * compiles for its first minute, and when the service went first, Cassandra's C2 thread used 14–30 % of a core during
 * the service's window, on the same 2 cores.
 *
 * <p>Then, after that measurement, the stream cap: {@code --stream-clients} live streams opened at once against a
 * service that allows {@code --stream-cap}; the excess must be answered 429, every accepted stream must get candles,
 * and the same wrk load runs meanwhile. One line: {@code STREAMS cap=<n> clients=<n> accepted=<n> rejected_429=<n>
 * other=<n> with_events=<n> live_polls_per_s=<x> candles_per_s=<n> candles_p99_ms=<x> errors=<...>}.
 *
 * <p>Options: {@code --duration 30} (seconds per measurement, and per step of the sweep), {@code --warmup 20},
 * {@code --connections 32}, {@code --driver-in-flight 8,32,64,128,256}, {@code --stream-cap 64},
 * {@code --stream-clients 256}, {@code --service-env KEY=VALUE} (repeatable: the service's configuration, e.g.
 * {@code QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=2}). Run from the query-api directory (it starts {@code target/quarkus-app}).
 */
public final class QueryBenchmark {

    static final String SYMBOL = "BENCH:BTCUSDT";
    static final String KEYSPACE = "query_bench";
    /** Seconds at each new in-flight count before it is measured. */
    static final int SWEEP_SETTLE_SECONDS = 3;

    public static void main(String[] args) throws Exception {
        // This JVM runs on query-api's test classpath, where Quarkus' bootstrap sets up JBoss LogManager (the SLF4J
        // binding) with every level enabled and a handler that keeps each record until a Quarkus application starts,
        // which none does here. Left so, formatting and keeping the driver's TRACE records took most of the driver
        // loop's I/O thread.
        LogContext.getLogContext().getLogger("").setLevel(Level.WARNING);
        int duration = intOption(args, "--duration", 30);
        int warmup = intOption(args, "--warmup", 20);
        int connections = intOption(args, "--connections", 32);
        int streamCap = intOption(args, "--stream-cap", 64);
        int streamClients = intOption(args, "--stream-clients", 256);
        List<Integer> driverInFlight = intsOption(args, "--driver-in-flight", List.of(8, 32, 64, 128, 256));

        CassandraNode cassandra = SharedCassandra.get();
        long to = System.currentTimeMillis() / 60_000 * 60_000;
        long from = to - Duration.ofHours(1).toMillis();
        try (CqlSession session = cassandra.session()) {
            TestTables tables = new TestTables(session, KEYSPACE).applySchema();
            // and an hour ahead of the measured range, so that the live streams, minutes later, find candles in their
            // window (the last minutes)
            long until = to + Duration.ofHours(1).toMillis();
            for (long minute = to - Duration.ofHours(3).toMillis(); minute <= until; minute += 60_000) {
                tables.candle(SYMBOL, minute, 100, 101, 99, 100.5, 12.5, 40, 100.2);
            }
        }
        cassandra.grantReadOnly(KEYSPACE);
        TimeRange range = new TimeRange(from, to);
        System.err.printf(
                "candles of %s from %s to %s: %d day partition(s), 60 candles%n",
                SYMBOL,
                Instant.ofEpochMilli(from),
                Instant.ofEpochMilli(to),
                range.daysOldestFirst().size());

        Map<Integer, SweepStep> sweep = driverSweep(cassandra, range, driverInFlight, warmup, duration);

        Path log = Files.createDirectories(Path.of("target", "bench")).resolve("query-api.log");
        WrkResult service;
        String streams;
        ServiceCpu serviceCpuPerRequest;
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "QUARKUS_CASSANDRA_CONTACT_POINTS",
                cassandra.contactPoint(),
                "QUARKUS_CASSANDRA_AUTH_USERNAME",
                cassandra.readerUsername(),
                "QUARKUS_CASSANDRA_AUTH_PASSWORD",
                cassandra.readerPassword(),
                "QUERY_KEYSPACE",
                KEYSPACE,
                "QUERY_LIVE_MAX_STREAMS",
                Integer.toString(streamCap),
                "QUARKUS_LOG_CATEGORY__IO_STREAMINGPIPELINE__LEVEL",
                "WARN"));
        env.putAll(serviceEnv(args));
        try (IngestorProcess app = IngestorProcess.builder(Path.of("target", "quarkus-app"))
                .log(log)
                .jvmOptions("-Xmx512m")
                .env(env)
                .start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (app.status("/q/health/ready") != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the service did not become ready:\n" + app.logTail(30));
                }
                Thread.sleep(200);
            }
            String url =
                    "http://127.0.0.1:" + app.httpPort() + "/api/candles/" + SYMBOL + "?from=" + from + "&to=" + to;
            String body = app.get("/api/candles/" + SYMBOL + "?from=" + from + "&to=" + to);
            int candles = body.split("\"minute_start\"", -1).length - 1;
            if (candles != 60) {
                throw new IllegalStateException("expected 60 candles, the service returned " + candles + ": " + body);
            }
            System.err.printf("service (pid %d) ready; warming up %d s ...%n", app.pid(), warmup);
            wrk(url, connections, warmup);
            System.err.printf("wrk: %d connections, %d s against %s%n", connections, duration, url);
            long serviceCpu = cpuMicros(app.pid());
            long serviceCassandraCpu = cpuMicros(cassandra.pid());
            service = wrk(url, connections, duration);
            double requests = service.requests;
            serviceCpuPerRequest = new ServiceCpu(
                    (cpuMicros(app.pid()) - serviceCpu) / requests,
                    (cpuMicros(cassandra.pid()) - serviceCassandraCpu) / requests);
            System.err.printf(
                    "service: %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %s%n",
                    service.perSecond,
                    service.p50Millis,
                    service.p99Millis,
                    service.errors.isEmpty() ? "none" : service.errors);
            streams = StreamCapPhase.run(app, url, streamCap, streamClients, connections, Math.min(duration, 15));
        }

        Map.Entry<Integer, SweepStep> best = sweep.entrySet().stream()
                .max(Comparator.comparingDouble(e -> e.getValue().perSecond()))
                .orElseThrow();
        double ratio = service.perSecond / best.getValue().perSecond();
        System.out.println(streams);
        StringBuilder line = new StringBuilder("SWEEP driver queries/s by in flight:");
        sweep.forEach((inFlight, step) -> line.append(String.format(" %d=%.0f", inFlight, step.perSecond())));
        System.out.println(line);
        System.out.printf(
                "CPU_US service_per_request=%.0f cassandra_per_request=%.0f driver_per_query=%.0f"
                        + " cassandra_per_query=%.0f%n",
                serviceCpuPerRequest.serviceMicros(),
                serviceCpuPerRequest.cassandraMicros(),
                best.getValue().loopCpuMicros(),
                best.getValue().cassandraCpuMicros());
        System.out.printf(
                "RESULT query_p99_ms=%.2f query_per_s=%.0f driver_best_per_s=%.0f driver_best_in_flight=%d ratio=%.2f%n",
                service.p99Millis, service.perSecond, best.getValue().perSecond(), best.getKey(), ratio);
        System.exit(0); // the shared node's shutdown hook stops Cassandra
    }

    /**
     * The service's query through the driver alone (one statement per UTC day of the range, run together, as the
     * service runs them), at each in-flight count in turn: a warm-up at the first, then per count
     * {@link #SWEEP_SETTLE_SECONDS} s unmeasured and {@code duration} s measured. Queries/s by in-flight count.
     */
    static Map<Integer, SweepStep> driverSweep(
            CassandraNode cassandra, TimeRange range, List<Integer> inFlight, int warmup, int duration)
            throws Exception {
        Map<Integer, SweepStep> rates = new LinkedHashMap<>();
        try (CqlSession session = cassandra.readerSession()) { // the service's role
            PreparedStatement candles =
                    session.prepare(MarketDataStore.candlesCql(KEYSPACE, CandleInterval.ONE_MINUTE));
            List<String> days = CandleInterval.ONE_MINUTE.bucketsOldestFirst(range);
            for (int step = 0; step < inFlight.size(); step++) {
                int concurrency = inFlight.get(step);
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicLong completed = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                List<CompletableFuture<Void>> workers = new ArrayList<>();
                for (int i = 0; i < concurrency; i++) {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    workers.add(done);
                    loop(session, candles, days, range, running, completed, failed, done);
                }
                Thread.sleep((step == 0 ? warmup : SWEEP_SETTLE_SECONDS) * 1000L);
                long start = completed.get();
                long startNanos = System.nanoTime();
                long loopCpu = cpuMicros(ProcessHandle.current().pid());
                long cassandraCpu = cpuMicros(cassandra.pid());
                Thread.sleep(duration * 1000L);
                long queries = completed.get() - start;
                double perSecond = queries / ((System.nanoTime() - startNanos) / 1e9);
                SweepStep measured = new SweepStep(
                        perSecond,
                        (cpuMicros(ProcessHandle.current().pid()) - loopCpu) / (double) queries,
                        (cpuMicros(cassandra.pid()) - cassandraCpu) / (double) queries);
                running.set(false);
                CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new))
                        .get();
                System.err.printf(
                        "driver only: %.0f queries/s with %d in flight%s%n",
                        perSecond, concurrency, failed.get() > 0 ? " (" + failed.get() + " queries failed)" : "");
                rates.put(concurrency, measured);
            }
        }
        return rates;
    }

    private static void loop(
            CqlSession session,
            PreparedStatement candles,
            List<String> days,
            TimeRange range,
            AtomicBoolean running,
            AtomicLong completed,
            AtomicLong failed,
            CompletableFuture<Void> done) {
        if (!running.get()) {
            done.complete(null);
            return;
        }
        List<CompletableFuture<Integer>> queries = new ArrayList<>();
        for (String day : days) {
            CompletionStage<AsyncResultSet> stage = session.executeAsync(candles.bind(
                            SYMBOL, day, Instant.ofEpochMilli(range.from()), Instant.ofEpochMilli(range.to()))
                    .setPageSize(MarketDataStore.CANDLES_PAGE_SIZE)
                    .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_ONE)); // the service's (application.properties)
            queries.add(stage.thenApply(QueryBenchmark::readRows).toCompletableFuture());
        }
        CompletableFuture.allOf(queries.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error != null) {
                failed.incrementAndGet();
            } else {
                completed.incrementAndGet();
            }
            loop(session, candles, days, range, running, completed, failed, done);
        });
    }

    private static int readRows(AsyncResultSet rs) {
        int n = 0;
        double sum = 0;
        for (Row row : rs.currentPage()) {
            CandleRow candle = CandleRow.ofSelected(row::getObject);
            sum += candle.minuteStart().toEpochMilli() + candle.close() + candle.tradeCount();
            n++;
        }
        return sum == 0 ? -n : n;
    }

    /** µs of CPU per request of the service's JVM and of Cassandra while wrk runs. */
    record ServiceCpu(double serviceMicros, double cassandraMicros) {}

    /** One in-flight count of the sweep: queries/s, and µs of CPU per query of this JVM and of Cassandra. */
    record SweepStep(double perSecond, double loopCpuMicros, double cassandraCpuMicros) {}

    /** The CPU time a process has used so far, in µs (all its threads); 0 when the system does not say. */
    static long cpuMicros(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(process -> process.info().totalCpuDuration())
                .map(cpu -> cpu.toNanos() / 1000)
                .orElse(0L);
    }

    /** What wrk printed: the requests it completed, their rate, latency percentiles, and its error lines. */
    record WrkResult(long requests, double perSecond, double p50Millis, double p99Millis, String errors) {}

    static WrkResult wrk(String url, int connections, int seconds) throws Exception {
        Process p = new ProcessBuilder(
                        "wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "--timeout", "10s", url)
                .redirectErrorStream(true)
                .start();
        String out;
        try {
            out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("wrk failed:\n" + out);
            }
        } finally {
            p.destroyForcibly();
        }
        Matcher total = Pattern.compile("(\\d+) requests in ").matcher(out);
        Matcher rps = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(out);
        Matcher p50 = Pattern.compile("\\s50%\\s+([\\d.]+)(us|ms|s)").matcher(out);
        Matcher p99 = Pattern.compile("\\s99%\\s+([\\d.]+)(us|ms|s)").matcher(out);
        if (!total.find() || !rps.find() || !p50.find() || !p99.find()) {
            throw new IllegalStateException("cannot read wrk's output:\n" + out);
        }
        Matcher errors = Pattern.compile("(Non-2xx or 3xx responses: \\d+|Socket errors: [^\\n]+)")
                .matcher(out);
        StringBuilder problems = new StringBuilder();
        while (errors.find()) {
            problems.append(errors.group(1)).append("; ");
        }
        return new WrkResult(
                Long.parseLong(total.group(1)),
                Double.parseDouble(rps.group(1)),
                millis(p50),
                millis(p99),
                problems.toString());
    }

    private static double millis(Matcher m) {
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    /**
     * Every value given to option {@code name}, in order (an option may be repeated). The arguments are pairs of an
     * option and its value: every option of the benchmark takes one.
     */
    static List<String> optionValues(String[] args, String name) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException(
                        "expected an option and its value (bench/query --help), found " + args[i]);
            }
            if (args[i].equals(name)) {
                values.add(args[i + 1]);
            }
        }
        return values;
    }

    /** The last value of option {@code name}, or {@code fallback}; a trailing {@code s} (seconds) is allowed. */
    static int intOption(String[] args, String name, int fallback) {
        List<String> values = optionValues(args, name);
        return values.isEmpty()
                ? fallback
                : Integer.parseInt(values.get(values.size() - 1).replaceAll("s$", ""));
    }

    /** The comma-separated numbers of the last value of option {@code name}, or {@code fallback}. */
    static List<Integer> intsOption(String[] args, String name, List<Integer> fallback) {
        List<String> values = optionValues(args, name);
        if (values.isEmpty()) {
            return fallback;
        }
        List<Integer> numbers = new ArrayList<>();
        for (String value : values.get(values.size() - 1).split(",")) {
            numbers.add(Integer.parseInt(value.strip()));
        }
        return numbers;
    }

    /** Every {@code --service-env KEY=VALUE}: environment variables of the service, over the benchmark's own. */
    static Map<String, String> serviceEnv(String[] args) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String value : optionValues(args, "--service-env")) {
            String[] pair = value.split("=", 2);
            if (pair.length != 2 || pair[0].isBlank()) {
                throw new IllegalArgumentException("--service-env takes KEY=VALUE, was " + value);
            }
            env.put(pair[0], pair[1]);
        }
        return env;
    }
}
