package io.streamingpipeline.localstack.pipeline;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkCluster;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./pipeline run}: the whole pipeline on the local stack's real engines, started in the order data flows —
 * Kafka (topics), Cassandra (schema), Spark master and worker, the job (spark-submit), the feed (the real Finnhub when a
 * token is set, else the simulator), the packaged ingestor — with a progress report every few seconds. Ctrl-C stops
 * everything, newest first; data and checkpoints stay in the data dir, so the next run continues where this one stopped.
 */
public final class PipelineMain {

    /** The password of the pipeline's Cassandra role, in the data dir. */
    static final String PASSWORD_FILE = "secrets/cassandra-password";
    /** The password of the query service's read-only Cassandra role, in the data dir. */
    static final String READER_PASSWORD_FILE = "secrets/cassandra-reader-password";
    /** Why the job's driver refused to start, written by the driver, in the data dir. */
    static final String JOB_TERMINATION_MESSAGE = "logs/spark-driver.termination";

    private final PipelineOptions options;
    private final PrintStream out;
    /** What to stop on exit, newest first. */
    private final Deque<Runnable> stops = new ConcurrentLinkedDeque<>();

    private PipelineMain(PipelineOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        List<String> list = new ArrayList<>(List.of(args));
        boolean help = list.contains("--help") || list.contains("-h");
        Path root = Path.of(System.getProperty("pipeline.root", "."));
        if (!list.isEmpty() && list.get(0).equals("cql") && !help) {
            System.exit(CqlCommand.run(list.subList(1, list.size()), System.out, System.err));
        }
        if (!list.isEmpty() && DayJobLaunch.COMMANDS.contains(list.get(0))) {
            System.exit(DayJobCommand.run(list.get(0), list.subList(1, list.size()), root, System.out, System.err));
        }
        if (list.isEmpty() || !list.get(0).equals("run") || help) {
            (help ? System.out : System.err).print(PipelineOptions.USAGE);
            System.exit(help ? 0 : 2);
        }
        PipelineOptions options;
        try {
            options = PipelineOptions.parse(list.subList(1, list.size()), root);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(PipelineOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new PipelineMain(options, System.out).run());
    }

    int run() {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    stopAll();
                    done.countDown();
                },
                "pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            DataDirLock dataDir = DataDirLock.acquire(options.dataDir(), "./pipeline run");
            stops.push(dataDir::close);
            checkArtifactsAndPorts();
            PipelineEngines engines = new PipelineEngines(options, out, stops);
            engines.prepareDataDir();
            KafkaBroker kafka = engines.startKafka();
            CassandraNode cassandra = engines.startCassandra();
            SparkCluster spark = engines.startSpark();
            JobSupervisor job = new JobSupervisor(
                    out, options.dataDir().resolve(JOB_TERMINATION_MESSAGE), () -> submitJob(kafka, cassandra, spark));
            job.start();
            stops.push(() -> job.current().ifPresent(driver -> {
                out.println("stopping the job (SIGTERM: the current micro-batch completes)");
                driver.stop(Duration.ofSeconds(90));
            }));
            FeedSimulator simulator = hasToken() ? null : startSimulator();
            IngestorProcess ingestor = startIngestor(kafka, simulator);
            String page = startQueryService(cassandra, ingestor);
            out.printf(
                    "PIPELINE RUNNING  ingestor http://127.0.0.1:%d/q/health  job http://127.0.0.1:%d/health/ready  "
                            + "Spark UI %s  data %s  (Ctrl-C stops)%n%s  query the rows: ./pipeline cql \"SELECT * FROM %s.%s "
                            + "WHERE symbol = '%s' AND day = '<yyyy-MM-dd>' LIMIT 5\"%n",
                    ingestor.httpPort(),
                    options.jobHealthPort(),
                    spark.webUiUrl(),
                    options.dataDir(),
                    page == null ? "" : "  live candle page: " + page + "\n",
                    CassandraSchema.DEFAULT_KEYSPACE,
                    CassandraSchema.TRADES_TABLE,
                    options.symbols().get(0));
            try (CqlSession session = cassandra.session()) {
                new ProgressReport(
                                out,
                                kafka,
                                ingestor,
                                job,
                                options.jobHealthPort(),
                                simulator,
                                session,
                                options.symbols())
                        .runUntil(options.duration(), options.progressEvery());
            }
            return 0;
        } catch (EngineStartException | IllegalStateException | UncheckedIOException e) {
            out.println("PIPELINE FAILED " + e.getMessage());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                stopAll();
            } catch (IllegalStateException shutdownInProgress) {
                awaitQuietly(done);
            }
        }
    }

    private void checkArtifactsAndPorts() {
        for (Path p : List.of(options.ingestorApp().resolve("quarkus-run.jar"), options.jobJar())) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(
                        p + " is missing: run ./pipeline with --rebuild (or ./mvnw -DskipTests package).");
            }
        }
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka (--kafka-port)", options.kafkaPort());
        ports.put("Cassandra (--cassandra-port)", options.cassandraPort());
        ports.put("Spark master (--spark-port)", options.sparkPort());
        ports.put("Spark job health (--job-health-port)", options.jobHealthPort());
        ports.put("ingestor (--ingestor-port)", options.ingestorPort());
        if (!hasToken()) {
            ports.put("simulator (--simulator-port)", options.simulatorPort());
        }
        List<String> taken = new ArrayList<>();
        ports.forEach((what, port) -> {
            if (!FreePorts.isFree(port)) {
                taken.add(what + " " + port);
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalStateException(
                    "Ports already in use on 127.0.0.1: " + String.join(", ", taken)
                            + ". Is another pipeline (or a Kafka/Cassandra/Spark) running? Stop it, or choose other ports with the options named.");
        }
    }

    private SparkDriver submitJob(KafkaBroker kafka, CassandraNode cassandra, SparkCluster spark) {
        out.println("submitting the job (spark-submit, client mode) ...");
        SparkDriver driver = spark.submit(TradesJobLaunch.of(options.jobJar())
                .bootstrapServers(kafka.bootstrapServers())
                .checkpoint(options.dataDir().resolve("checkpoints/trades-to-cassandra"))
                .cassandra(cassandra, options.dataDir().resolve(PASSWORD_FILE))
                .health(options.jobHealthPort())
                .terminationMessage(options.dataDir().resolve(JOB_TERMINATION_MESSAGE))
                .submission("trades-to-cassandra")
                .logFile(options.dataDir().resolve("logs/spark-driver.log"))
                .build());
        JobEndpoint endpoint = new JobEndpoint(options.jobHealthPort());
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (endpoint.status("/health/live") != 200) {
            if (!driver.isAlive()) {
                throw JobSupervisor.StartFailed.exited(
                        driver, "the Spark job exited while starting; its log ends with:\n" + driver.logTail(30));
            }
            if (System.nanoTime() > deadline) {
                driver.stop(Duration.ofSeconds(30));
                throw JobSupervisor.StartFailed.timedOut(
                        "the Spark job did not start within 3 minutes; its log ends with:\n" + driver.logTail(30));
            }
            sleep(500);
        }
        out.printf("  job running (driver pid %d); log %s%n", driver.pid(), driver.logFile());
        return driver;
    }

    private FeedSimulator startSimulator() {
        out.printf(
                "no FINNHUB_TOKEN set: starting the feed simulator on 127.0.0.1:%d at %d trades/s%n",
                options.simulatorPort(), options.simulatorRate());
        FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults()
                .withPort(options.simulatorPort())
                .withSeed(System.currentTimeMillis())
                .withTradesPerSecond(options.simulatorRate())
                .withTradesPerFrame(Math.max(1, Math.min(100, options.simulatorRate() / 20)))
                .withPingInterval(Duration.ofSeconds(30)));
        stops.push(() -> {
            out.println("stopping the simulator");
            simulator.close();
        });
        return simulator;
    }

    private IngestorProcess startIngestor(KafkaBroker kafka, FeedSimulator simulator) {
        out.printf("starting the ingestor on 127.0.0.1:%d ...%n", options.ingestorPort());
        IngestorProcess.Builder builder = IngestorProcess.builder(options.ingestorApp())
                .httpPort(options.ingestorPort())
                .log(options.dataDir().resolve("logs/ingestor.log"))
                .env(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .env("FINNHUB_SYMBOLS", String.join(",", options.symbols()));
        if (simulator != null) {
            // The simulator accepts any token; the real one is never needed locally.
            builder.env("FINNHUB_URL", simulator.uri().toString())
                    .env(TradeContract.Env.FINNHUB_TOKEN, "local-simulator");
        }
        IngestorProcess ingestor = builder.start();
        stops.push(() -> {
            out.println("stopping the ingestor (SIGTERM: stop reading, flush to Kafka)");
            ingestor.terminate(Duration.ofSeconds(60));
        });
        out.printf(
                "  ingestor live in %.1f s (pid %d); log %s%n",
                seconds(ingestor.startDuration()), ingestor.pid(), ingestor.logFile());
        if (hasToken()) {
            awaitFeed(ingestor);
        }
        return ingestor;
    }

    /**
     * The query service and its live page (a Quarkus fast-jar, started like the ingestor), when it was built; returns
     * its URL, or null.
     */
    private String startQueryService(CassandraNode cassandra, IngestorProcess ingestor) {
        if (!Files.exists(options.queryApp().resolve("quarkus-run.jar"))) {
            out.println(
                    "(query service not built: ./mvnw -pl query-api -am package -DskipTests, with npm, adds the live page)");
            return null;
        }
        if (!FreePorts.isFree(options.queryPort())) {
            out.println("(query service not started: port " + options.queryPort() + " is taken; see --query-port)");
            return null;
        }
        out.printf("starting the query service on 127.0.0.1:%d ...%n", options.queryPort());
        IngestorProcess query = IngestorProcess.builder(options.queryApp())
                .httpPort(options.queryPort())
                .log(options.dataDir().resolve("logs/query-api.log"))
                .env("QUARKUS_CASSANDRA_CONTACT_POINTS", cassandra.contactPoint())
                .env("QUARKUS_CASSANDRA_AUTH_USERNAME", cassandra.readerUsername())
                .env(
                        "QUERY_CASSANDRA_PASSWORD_FILE",
                        options.dataDir().resolve(READER_PASSWORD_FILE).toString())
                .env("QUERY_SYMBOLS", String.join(",", options.symbols()))
                .env(
                        "QUERY_PIPELINE_INGESTOR_HEALTH_URL",
                        "http://127.0.0.1:" + ingestor.httpPort() + "/q/health/ready")
                .env("QUERY_PIPELINE_INGESTOR_METRICS_URL", "http://127.0.0.1:" + ingestor.httpPort() + "/q/metrics")
                .env("QUERY_PIPELINE_JOB_HEALTH_URL", "http://127.0.0.1:" + options.jobHealthPort() + "/health/ready")
                .env("QUERY_PIPELINE_JOB_METRICS_URL", "http://127.0.0.1:" + options.jobHealthPort() + "/metrics")
                .start();
        stops.push(() -> {
            out.println("stopping the query service");
            query.terminate(Duration.ofSeconds(30));
        });
        return "http://127.0.0.1:" + options.queryPort() + "/";
    }

    /** With a real token, a rejected token is the likeliest failure: say so at once rather than in the log. */
    private void awaitFeed(IngestorProcess ingestor) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (ingestor.metrics().value("ingestor_feed_connection_state") >= 3) {
                return;
            }
            if (ingestor.log().contains("rejected the token")) {
                throw new IllegalStateException(
                        "Finnhub rejected the token (HTTP 401): check FINNHUB_TOKEN / FINNHUB_TOKEN_FILE.");
            }
            sleep(500);
        }
        out.println("  (not subscribed to Finnhub after 30 s; see " + ingestor.logFile() + ")");
    }

    private boolean hasToken() {
        String token = System.getenv(TradeContract.Env.FINNHUB_TOKEN);
        String file = System.getenv(TradeContract.Env.FINNHUB_TOKEN_FILE);
        return (token != null && !token.isBlank()) || (file != null && !file.isBlank());
    }

    private void stopAll() {
        Runnable stop;
        while ((stop = stops.poll()) != null) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                out.println("  (while stopping: " + e.getMessage() + ")");
            }
        }
        out.flush();
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
