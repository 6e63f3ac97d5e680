package io.streamingpipeline.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.contract.testing.TradeBuilder;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.kafka.TopicReader;
import io.streamingpipeline.localstack.kafka.TopicRecord;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.simulator.DeliveredTrade;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The whole pipeline for one test: {@link FeedSimulator} (recording what it delivered) → the packaged ingestor (a child
 * JVM, env-configured) → Kafka → the Spark job on the shared cluster → Cassandra, on its own topics, keyspace and
 * checkpoint. The feed can run in phases (one simulator after the other on the same port, the ingestor reconnecting),
 * the ground truth is the sum of the phases. {@link #verify} is the exact accounting: the rows of {@code crypto_trades}
 * against the delivered trades as multisets per symbol on every field, the candles against a plain-Java computation,
 * the dead-letter topic against the injected malformed frames. {@link #close} stops everything it started by PID.
 */
final class PipelineRun implements AutoCloseable {

    static final String TOKEN = "it-pipeline-token-5f4e3d2c1b0a";
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final KafkaBroker kafka;
    final CassandraNode cassandra;
    final List<String> symbols;
    final String topic;
    final String deadLetterTopic;
    final String keyspace;
    final TradesJob job;
    private final Path workDir;
    private final int feedPort = FreePorts.pick();

    private FeedSimulator simulator;
    private final List<DeliveredTrade> delivered = new ArrayList<>();
    private final List<GroundTruth> closedPhases = new ArrayList<>();
    private IngestorProcess ingestor;
    private int ingestorStarts;
    private final List<IngestorProcess> stoppedIngestors = new ArrayList<>();
    private SparkDriver driver;
    private final List<SparkDriver> drivers = new ArrayList<>();
    private int unplannedDriverRestarts;
    private final List<String> driverExits = new ArrayList<>();
    private CqlSession session;
    private long started = System.nanoTime();

    PipelineRun(String name, KafkaBroker kafka, CassandraNode cassandra, List<String> symbols, Path workDir) {
        this.name = name;
        this.kafka = kafka;
        this.cassandra = cassandra;
        this.symbols = List.copyOf(symbols);
        this.workDir = workDir;
        String suffix = name.replaceAll("[^A-Za-z0-9]", "_").toLowerCase();
        this.topic = "it_" + suffix + "_trades";
        this.deadLetterTopic = "it_" + suffix + "_dlq";
        this.keyspace = "it_" + suffix;
        PipelineStack stack = PipelineStack.get();
        this.job = new TradesJob(
                "it-" + name,
                topic,
                deadLetterTopic,
                keyspace,
                workDir.resolve("job"),
                kafka == stack.kafka ? null : kafka,
                cassandra == stack.cassandra ? null : cassandra);
    }

    /** On the shared engines of {@link PipelineStack}. */
    static PipelineRun onSharedEngines(String name, List<String> symbols, Path workDir) {
        PipelineStack stack = PipelineStack.get();
        return new PipelineRun(name, stack.kafka, stack.cassandra, symbols, workDir);
    }

    /** Topics, schema, then spark-submit (the driver needs ~20 s to its first batch). */
    PipelineRun prepareAndSubmit() {
        started = System.nanoTime();
        PipelineStack.createTopics(kafka, topic, deadLetterTopic);
        CassandraTables.createSchema(session(), keyspace);
        submit();
        return this;
    }

    // ---------------------------------------------------------------- feed

    /** Starts a feed phase (a simulator on this run's port, recording trades), and the ingestor if none runs. */
    FeedSimulator startFeed(SimulatorConfig config) {
        if (simulator != null) {
            throw new IllegalStateException("a feed phase is running");
        }
        simulator = FeedSimulator.start(
                config.withHost("127.0.0.1").withPort(feedPort).withToken(TOKEN).withRecordTrades(true));
        if (ingestor == null) {
            startIngestor();
        }
        return simulator;
    }

    /** Ends the current phase: closes the simulator, whose ground truth is then final, and keeps it. */
    GroundTruth stopFeed() {
        FeedSimulator s = simulator;
        simulator = null;
        s.close();
        GroundTruth truth = s.groundTruth();
        closedPhases.add(truth);
        delivered.addAll(s.deliveredTrades());
        log("feed phase %d closed: %s", closedPhases.size(), truth.summaryLine());
        return truth;
    }

    FeedSimulator simulator() {
        return simulator;
    }

    /** Trades delivered so far over all phases (the running one included). */
    long deliveredSoFar() {
        long n = closedPhases.stream().mapToLong(GroundTruth::totalTrades).sum();
        FeedSimulator s = simulator;
        return s == null ? n : n + s.groundTruth().totalTrades();
    }

    IngestorProcess startIngestor() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FINNHUB_URL", "ws://127.0.0.1:" + feedPort + "/");
        env.put(TradeContract.Env.FINNHUB_TOKEN, TOKEN);
        env.put("FINNHUB_SYMBOLS", String.join(",", symbols));
        env.put("FINNHUB_RECONNECT_INITIAL_BACKOFF", "100ms");
        env.put("FINNHUB_RECONNECT_MAX_BACKOFF", "2s");
        env.put(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        env.put(TradeContract.Env.TRADES_TOPIC, topic);
        env.put(TradeContract.Env.DEAD_LETTER_TOPIC, deadLetterTopic);
        ingestorStarts++;
        ingestor = IngestorProcess.builder(ingestorApp())
                .log(Path.of("target", "it-logs", name + "-ingestor-" + ingestorStarts + ".log")
                        .toAbsolutePath())
                .env(env)
                .start();
        log(
                "ingestor #%d pid %d live after %d ms, log %s",
                ingestorStarts, ingestor.pid(), ingestor.startDuration().toMillis(), ingestor.logFile());
        return ingestor;
    }

    /** SIGTERM to the ingestor; returns its exit code. */
    int terminateIngestor() {
        IngestorProcess i = ingestor;
        ingestor = null;
        stoppedIngestors.add(i);
        return i.terminate(Duration.ofSeconds(60));
    }

    IngestorProcess ingestor() {
        return ingestor;
    }

    static Path ingestorApp() {
        String path = System.getProperty("pipeline.ingestor.app");
        if (path == null || !Files.isRegularFile(Path.of(path, "quarkus-run.jar"))) {
            throw new IllegalStateException("The packaged ingestor is missing (" + path + "): build it with "
                    + "`./mvnw -pl ingestor -am package -DskipTests` or run this module in the reactor.");
        }
        return Path.of(path);
    }

    // ---------------------------------------------------------------- job

    SparkDriver submit() {
        driver = job.submit();
        drivers.add(driver);
        log("spark-submit #%d: driver pid %d, log %s", drivers.size(), driver.pid(), driver.logFile());
        return driver;
    }

    SparkDriver driver() {
        return driver;
    }

    List<SparkDriver> drivers() {
        return List.copyOf(drivers);
    }

    /** kill -9 of the driver, then waits until the master has removed the application and its executors. */
    void killDriverAndAwaitCleanup() {
        driver.kill();
        awaitApplicationGone();
    }

    void awaitApplicationGone() {
        awaitTrue(
                Duration.ofSeconds(90),
                Duration.ofMillis(500),
                "application " + job.name() + " removed",
                () -> PipelineStack.get().spark.status().activeApp(job.name()).isEmpty()
                        && PipelineStack.get().spark.executorProcesses().isEmpty());
    }

    /**
     * The restart policy of a real deployment (Kubernetes, systemd): if the driver exited by itself, wait until the
     * master has removed it, then spark-submit again with the same checkpoint. Returns true if it resubmitted.
     */
    boolean superviseJob() {
        if (driver.isAlive()) {
            return false;
        }
        String exit = "driver pid " + driver.pid() + " exited with "
                + driver.exitCode().orElse(-1) + " after " + elapsed() + " s; log tail:\n" + driver.logTail(25);
        driverExits.add(exit);
        unplannedDriverRestarts++;
        log("%s", exit);
        awaitApplicationGone();
        submit();
        return true;
    }

    int unplannedDriverRestarts() {
        return unplannedDriverRestarts;
    }

    List<String> driverExits() {
        return driverExits;
    }

    // ---------------------------------------------------------------- Cassandra

    /** A session to this run's node, opened again after an error (the node may have been restarted). */
    synchronized CqlSession session() {
        if (session == null || session.isClosed()) {
            session = cassandra.session();
        }
        return session;
    }

    /** Rows in {@code crypto_trades}, or -1 while Cassandra does not answer. */
    long rowCount() {
        try {
            return CassandraTables.tradeCount(session(), keyspace);
        } catch (RuntimeException e) {
            resetSession();
            return -1;
        }
    }

    private synchronized void resetSession() {
        if (session != null) {
            try {
                session.close();
            } catch (RuntimeException ignored) {
                // closing a broken session
            }
            session = null;
        }
    }

    /**
     * Waits until Cassandra holds at least {@code target} rows, resubmitting the job if it exits when
     * {@code supervise}; returns the time it took in ms.
     */
    long awaitRows(long target, Duration timeout, boolean supervise) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        long rows = -1;
        while (System.nanoTime() < deadline) {
            if (supervise) {
                superviseJob();
            } else if (!driver.isAlive()) {
                throw new AssertionError("driver exited: " + driver + "\n" + driver.logTail(40));
            }
            rows = rowCount();
            if (rows >= target) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            sleep(1000);
        }
        throw new AssertionError(name + ": " + rows + " rows in Cassandra, not " + target + " within " + timeout
                + "; driver " + driver + "\n" + driver.logTail(40));
    }

    /**
     * Recovery time: from now (the end of a fault) until Cassandra holds every trade delivered up to now, in ms.
     */
    long awaitRecovery(Duration timeout, boolean supervise) {
        long target = deliveredSoFar();
        long ms = awaitRows(target, timeout, supervise);
        log("caught up with the %d trades delivered at the end of the fault after %d ms", target, ms);
        return ms;
    }

    // ---------------------------------------------------------------- the accounting

    /**
     * Once every phase is closed: waits for the ingestor to have published every delivered trade and for Cassandra
     * to hold as many rows, then compares everything.
     */
    Accounting awaitCatchUpAndAccount(Duration timeout, boolean supervise) {
        if (simulator != null) {
            throw new IllegalStateException("stop the feed first");
        }
        long total = delivered.size();
        long truthTotal =
                closedPhases.stream().mapToLong(GroundTruth::totalTrades).sum();
        if (total != truthTotal) {
            throw new AssertionError("recorded " + total + " trades but the ground truth counts " + truthTotal);
        }
        long t0 = System.nanoTime();
        awaitRows(total, timeout, supervise);
        long catchUp = (System.nanoTime() - t0) / 1_000_000;
        sleep(3000); // anything extra that was still on its way
        superviseJob();
        Accounting a = account(timeout);
        log("caught up %d ms after the feed stopped; %s", catchUp, a);
        return a;
    }

    private Accounting account(Duration candleTimeout) {
        List<String> problems = new ArrayList<>();
        List<CassandraTables.TradeRow> rows = CassandraTables.trades(session(), keyspace);

        // per symbol: counts; multisets of (symbol, price, volume, timestamp_unix, conditions)
        Map<String, Long> expectedBySymbol = new TreeMap<>();
        Map<TradeKey, Long> expected = new HashMap<>();
        for (DeliveredTrade d : delivered) {
            expectedBySymbol.merge(d.symbol(), 1L, Long::sum);
            expected.merge(TradeKey.of(d), 1L, Long::sum);
        }
        Map<String, Long> actualBySymbol = new TreeMap<>();
        Map<TradeKey, Long> actual = new HashMap<>();
        Map<TradeKey, ArrayDeque<UUID>> idsByKey = new HashMap<>();
        Set<UUID> ids = new HashSet<>();
        long badIds = 0;
        long badDays = 0;
        for (CassandraTables.TradeRow r : rows) {
            actualBySymbol.merge(r.symbol(), 1L, Long::sum);
            TradeKey key = TradeKey.of(r);
            actual.merge(key, 1L, Long::sum);
            idsByKey.computeIfAbsent(key, k -> new ArrayDeque<>()).add(r.id());
            if (r.id().version() != 7 || !ids.add(r.id())) {
                badIds++;
            }
            String day = Instant.ofEpochMilli(r.timestampUnix())
                    .atOffset(ZoneOffset.UTC)
                    .toLocalDate()
                    .toString();
            if (!day.equals(r.day()) || r.ingestedAt() <= 0) {
                badDays++;
            }
        }
        long lost = 0;
        long extra = 0;
        for (var e : expected.entrySet()) {
            lost += Math.max(0, e.getValue() - actual.getOrDefault(e.getKey(), 0L));
        }
        for (var e : actual.entrySet()) {
            extra += Math.max(0, e.getValue() - expected.getOrDefault(e.getKey(), 0L));
        }
        if (!expectedBySymbol.equals(actualBySymbol)) {
            problems.add("rows per symbol " + actualBySymbol + " != delivered per symbol " + expectedBySymbol);
        }
        if (lost > 0 || extra > 0) {
            problems.add(lost + " delivered trades missing in Cassandra, " + extra
                    + " rows not matching a delivered trade (duplicates or altered fields)");
        }
        if (badIds > 0) {
            problems.add(badIds + " rows whose id is not a UUIDv7 or not unique");
        }
        if (badDays > 0) {
            problems.add(badDays + " rows whose day is not the UTC date of timestamp_unix or without ingested_at");
        }

        // candles: a plain-Java computation from the delivered trades; the ids only break ties (open/close)
        boolean candlesExact = false;
        int candleCount = 0;
        if (lost == 0 && extra == 0) {
            List<Trade> withIds = new ArrayList<>(delivered.size());
            for (DeliveredTrade d : delivered) {
                UUID id = idsByKey.get(TradeKey.of(d)).poll();
                withIds.add(TradeBuilder.trade()
                        .id(id)
                        .symbol(d.symbol())
                        .price(d.price())
                        .volume(d.volume())
                        .timestampUnix(d.timestamp())
                        .conditions(d.conditions())
                        .ingestedAt(0L)
                        .build());
            }
            List<CandleRow> expectedCandles = ExpectedCandles.of(withIds);
            candleCount = expectedCandles.size();
            AssertionError last = null;
            long deadline = System.nanoTime() + candleTimeout.toNanos();
            do {
                try {
                    PipelineAssertions.assertCandles(CassandraTables.candles(session(), keyspace), expectedCandles);
                    candlesExact = true;
                    break;
                } catch (AssertionError e) {
                    last = e;
                    superviseJob();
                    sleep(2000);
                }
            } while (System.nanoTime() < deadline);
            if (!candlesExact) {
                problems.add("candles differ from the independent computation: " + firstLines(last.getMessage()));
            }
        } else {
            problems.add("candles not compared (the trades already differ)");
        }

        // dead letters: one per malformed frame, with the reason the simulator expects, all from the ingestor
        Map<String, Long> expectedReasons = new TreeMap<>();
        long malformed = 0;
        for (GroundTruth t : closedPhases) {
            malformed += t.malformedFrames();
            t.malformedByReason().forEach((reason, n) -> expectedReasons.merge(reason, n, Long::sum));
        }
        List<TopicRecord> letters =
                new TopicReader(kafka.bootstrapServers()).readAll(deadLetterTopic, Duration.ofSeconds(60));
        Map<String, Long> reasons = new TreeMap<>();
        Map<String, Long> sources = new TreeMap<>();
        for (TopicRecord r : letters) {
            try {
                DeadLetter letter = JSON.readValue(r.value(), DeadLetter.class);
                reasons.merge(letter.reason(), 1L, Long::sum);
                sources.merge(letter.source(), 1L, Long::sum);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        boolean dlqAsExpected = letters.size() == malformed
                && reasons.equals(expectedReasons)
                && (letters.isEmpty() || sources.keySet().equals(Set.of("ingestor")));
        if (!dlqAsExpected) {
            problems.add("dead letters " + letters.size() + " by reason " + reasons + " from " + sources + ", expected "
                    + malformed + " by reason " + expectedReasons + " from the ingestor");
        }
        return new Accounting(
                name,
                delivered.size(),
                rows.size(),
                lost,
                extra,
                expectedBySymbol,
                candleCount,
                candlesExact,
                malformed,
                letters.size(),
                expectedReasons,
                reasons,
                dlqAsExpected,
                unplannedDriverRestarts,
                problems);
    }

    /** The numbers of {@link #verify}; {@link #problems} empty when everything matched. */
    record Accounting(
            String scenario,
            long delivered,
            long rows,
            long lost,
            long duplicatedOrExtra,
            Map<String, Long> deliveredBySymbol,
            int candles,
            boolean candlesExact,
            long malformedFrames,
            long deadLetters,
            Map<String, Long> expectedReasons,
            Map<String, Long> reasons,
            boolean dlqAsExpected,
            int unplannedDriverRestarts,
            List<String> problems) {

        boolean ok() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return "scenario=" + scenario + " delivered=" + delivered + " rows=" + rows + " lost=" + lost
                    + " duplicatedOrExtra=" + duplicatedOrExtra + " bySymbol=" + deliveredBySymbol
                    + " candles=" + candles + " candlesExact=" + candlesExact + " malformedFrames=" + malformedFrames
                    + " deadLetters=" + deadLetters + " dlqAsExpected=" + dlqAsExpected + " reasons=" + reasons
                    + " unplannedDriverRestarts=" + unplannedDriverRestarts
                    + (problems.isEmpty() ? " OK" : " PROBLEMS=" + problems);
        }
    }

    /** Appends one line to {@code target/reliability-report.txt} (the numbers behind docs/reliability.md). */
    static void report(String line) {
        System.out.println("[reliability] " + line);
        try {
            Path file = Path.of("target", "reliability-report.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    Instant.now() + " " + line + System.lineSeparator(),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("could not write the report: " + e);
        }
    }

    /** A trade by every field but the id: conditions null (absent or null in the feed) read back as []. */
    record TradeKey(String symbol, double price, double volume, long timestampUnix, List<String> conditions) {
        static TradeKey of(DeliveredTrade d) {
            return new TradeKey(
                    d.symbol(),
                    d.price(),
                    d.volume(),
                    d.timestamp(),
                    d.conditions() == null ? List.of() : d.conditions());
        }

        static TradeKey of(CassandraTables.TradeRow r) {
            return new TradeKey(
                    r.symbol(),
                    r.price(),
                    r.volume(),
                    r.timestampUnix(),
                    r.conditions() == null ? List.of() : r.conditions());
        }
    }

    // ---------------------------------------------------------------- helpers

    long elapsed() {
        return (System.nanoTime() - started) / 1_000_000_000;
    }

    void log(String format, Object... args) {
        System.out.printf("[%s +%ds] %s%n", name, elapsed(), String.format(format, args));
    }

    static void awaitTrue(Duration timeout, Duration poll, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not yet answering
            }
            sleep(poll.toMillis());
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String firstLines(String text) {
        if (text == null) {
            return "";
        }
        return text.lines().limit(8).reduce((a, b) -> a + " | " + b).orElse("");
    }

    /** Stops what this run started, each by its own PID: simulator, ingestor (SIGTERM), driver (SIGTERM, then -9). */
    @Override
    public void close() {
        List<RuntimeException> errors = new ArrayList<>();
        run(errors, () -> {
            if (simulator != null) {
                simulator.close();
            }
        });
        run(errors, () -> {
            if (ingestor != null) {
                ingestor.close();
            }
        });
        for (IngestorProcess i : stoppedIngestors) {
            run(errors, () -> {
                if (i.isAlive()) {
                    i.kill();
                }
            });
        }
        for (SparkDriver d : drivers) {
            run(errors, () -> d.stop(Duration.ofSeconds(60)));
        }
        run(errors, this::awaitApplicationGone);
        run(errors, this::resetSession);
        if (!errors.isEmpty()) {
            errors.forEach(e -> System.out.println(name + ": while stopping: " + e));
        }
    }

    private static void run(List<RuntimeException> errors, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException | AssertionError e) {
            errors.add(e instanceof RuntimeException r ? r : new RuntimeException(e));
        }
    }
}
