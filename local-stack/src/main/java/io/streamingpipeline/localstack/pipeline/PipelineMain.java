package io.streamingpipeline.localstack.pipeline;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./pipeline run}: the pipeline on the local stack's real engines, in the order data flows — Kafka (topics
 * created), the feed (the real Finnhub when a token is set, else the simulator), the packaged ingestor — with a
 * progress line every few seconds. Ctrl-C stops everything, newest first; the data dir stays for the next run.
 */
public final class PipelineMain {

    private final PipelineOptions options;
    private final PrintStream out;
    /** What to stop on exit, newest first. */
    private final Deque<Runnable> stops = new ConcurrentLinkedDeque<>();

    private PipelineMain(PipelineOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        List<String> list = new ArrayList<>(List.of(args));
        if (list.isEmpty() || !list.get(0).equals("run") || list.contains("--help") || list.contains("-h")) {
            boolean help = list.contains("--help") || list.contains("-h");
            (help ? System.out : System.err).print(PipelineOptions.USAGE);
            System.exit(help ? 0 : 2);
        }
        PipelineOptions options;
        try {
            options = PipelineOptions.parse(list.subList(1, list.size()), Path.of(System.getProperty("pipeline.root", ".")));
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
        Thread hook = new Thread(() -> {
            stopAll();
            done.countDown();
        }, "pipeline-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            checkPorts();
            prepareDataDir();
            KafkaBroker kafka = startKafka();
            FeedSimulator simulator = hasToken() ? null : startSimulator();
            IngestorProcess ingestor = startIngestor(kafka, simulator);
            out.printf("PIPELINE RUNNING  health http://127.0.0.1:%d/q/health  metrics http://127.0.0.1:%d/q/metrics  "
                    + "data %s  (Ctrl-C stops)%n", ingestor.httpPort(), ingestor.httpPort(), options.dataDir());
            new ProgressReporter(out, kafka, ingestor, simulator).runUntil(options.duration(), options.progressEvery());
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

    private void checkPorts() {
        List<String> taken = new ArrayList<>();
        if (!FreePorts.isFree(options.kafkaPort())) {
            taken.add("Kafka port " + options.kafkaPort() + " (--kafka-port)");
        }
        if (!FreePorts.isFree(options.ingestorPort())) {
            taken.add("ingestor port " + options.ingestorPort() + " (--ingestor-port)");
        }
        if (!hasToken() && !FreePorts.isFree(options.simulatorPort())) {
            taken.add("simulator port " + options.simulatorPort() + " (--simulator-port)");
        }
        if (!taken.isEmpty()) {
            throw new IllegalStateException("Ports already in use on 127.0.0.1: " + String.join(", ", taken)
                    + ". Is another pipeline running? Stop it, or choose other ports with the options named.");
        }
    }

    private void prepareDataDir() {
        try {
            if (options.fresh() && Files.exists(options.dataDir())) {
                out.println("--fresh: deleting " + options.dataDir());
                try (Stream<Path> walk = Files.walk(options.dataDir())) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(options.dataDir().resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the data dir " + options.dataDir(), e);
        }
    }

    private KafkaBroker startKafka() {
        out.printf("starting Kafka on 127.0.0.1:%d ...%n", options.kafkaPort());
        KafkaBroker kafka = KafkaBroker.builder(options.dataDir().resolve("kafka")).port(options.kafkaPort()).start();
        stops.push(() -> {
            out.println("stopping Kafka");
            kafka.stop();
        });
        kafka.createTopics(Map.of(TradeContract.TRADES_TOPIC, 3, TradeContract.DEAD_LETTER_TOPIC, 1));
        out.printf("  Kafka ready in %.1f s (pid %d), topics %s, %s; log %s%n", kafka.lastStartDuration().toMillis() / 1000.0,
                kafka.pid(), TradeContract.TRADES_TOPIC, TradeContract.DEAD_LETTER_TOPIC, kafka.logFile());
        return kafka;
    }

    private FeedSimulator startSimulator() {
        out.printf("no FINNHUB_TOKEN set: starting the feed simulator on 127.0.0.1:%d at %d trades/s%n",
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
            builder.env("FINNHUB_URL", simulator.uri().toString()).env(TradeContract.Env.FINNHUB_TOKEN, "local-simulator");
        }
        IngestorProcess ingestor = builder.start();
        stops.push(() -> {
            out.println("stopping the ingestor (SIGTERM: stop reading, flush to Kafka)");
            ingestor.terminate(Duration.ofSeconds(60));
        });
        out.printf("  ingestor live in %.1f s (pid %d); log %s%n", ingestor.startDuration().toMillis() / 1000.0, ingestor.pid(),
                ingestor.logFile());
        return ingestor;
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

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One line every few seconds: what the feed delivered, what the ingestor read and Kafka acknowledged. */
    static final class ProgressReporter {
        private final PrintStream out;
        private final KafkaBroker kafka;
        private final IngestorProcess ingestor;
        private final FeedSimulator simulator;

        ProgressReporter(PrintStream out, KafkaBroker kafka, IngestorProcess ingestor, FeedSimulator simulator) {
            this.out = out;
            this.kafka = kafka;
            this.ingestor = ingestor;
            this.simulator = simulator;
        }

        void runUntil(Duration duration, Duration every) {
            long start = System.nanoTime();
            long end = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
            double lastReceived = 0;
            double lastPublished = 0;
            long lastAt = start;
            while (System.nanoTime() < end) {
                sleep(Math.min(every.toMillis(), Math.max(1, (end - System.nanoTime()) / 1_000_000)));
                if (!ingestor.isAlive()) {
                    throw new IllegalStateException("the ingestor exited; its log ends with:\n" + ingestor.logTail(30));
                }
                if (!kafka.isRunning()) {
                    throw new IllegalStateException("Kafka exited; see " + kafka.logFile());
                }
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
                long inKafka = kafka.endOffsets(TradeContract.TRADES_TOPIC).values().stream().mapToLong(Long::longValue).sum();
                long letters = kafka.endOffsets(TradeContract.DEAD_LETTER_TOPIC).values().stream().mapToLong(Long::longValue).sum();
                out.printf(Locale.ROOT, "[%5ds] feed %-10s received %,d (%,.0f/s)  published %,d (%,.0f/s)  rejected %,d  lost %,d  "
                                + "in Kafka: %s %,d, %s %,d%s  ready=%s%n",
                        Duration.ofNanos(now - start).toSeconds(), state(m), (long) received, (received - lastReceived) / seconds,
                        (long) published, (published - lastPublished) / seconds, (long) m.value("ingestor_trades_rejected_total"),
                        (long) m.value("ingestor_trades_lost_total"), TradeContract.TRADES_TOPIC, inKafka,
                        TradeContract.DEAD_LETTER_TOPIC, letters,
                        simulator == null ? "" : String.format(Locale.ROOT, "  (simulator sent %,d)", simulator.groundTruth().totalTrades()),
                        ingestor.status("/q/health/ready") == 200 ? "UP" : "DOWN");
                lastReceived = received;
                lastPublished = published;
                lastAt = now;
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

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }
}
