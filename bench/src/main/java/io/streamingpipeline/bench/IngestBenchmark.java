package io.streamingpipeline.bench;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.EngineLibraries;
import io.streamingpipeline.localstack.SharedEngine;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.kafka.TopicReader;
import io.streamingpipeline.localstack.kafka.TopicRecord;
import io.streamingpipeline.localstack.process.JavaProcess;
import io.streamingpipeline.localstack.process.LogTail;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/ingest: the feed simulator at full speed → the packaged ingestor (JVM mode) → a real Kafka broker, then, as the
 * baseline on the same broker, the best of Kafka's own {@code ProducerPerformance} sending the ingestor's record values
 * with the ingestor's producer settings and with a shorter and a longer {@code linger.ms}.
 * The last line printed is the {@code RESULT} line.
 */
public final class IngestBenchmark {

    static final List<String> SYMBOLS = List.of(
            "BINANCE:BTCUSDT",
            "BINANCE:ETHUSDT",
            "BINANCE:SOLUSDT",
            "BINANCE:XRPUSDT",
            "BINANCE:BNBUSDT",
            "BINANCE:ADAUSDT",
            "BINANCE:DOGEUSDT",
            "COINBASE:BTC-USD",
            "COINBASE:ETH-USD",
            "OANDA:EUR_USD");
    /** Kafka's ProducerPerformance writes here: the broker's ceiling for records of the trades' size. */
    static final String BASELINE_TOPIC = "perf_baseline";

    private static final String KAFKA = "Kafka";
    private static final String LINGER_MS = "linger.ms";

    private static final Pattern PERF_SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, "
                    + "(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

    public static void main(String[] args) throws Exception {
        Duration duration = Duration.ofSeconds(60);
        Duration warmup = Duration.ofSeconds(15);
        Path ingestorApp = Path.of("ingestor/target/quarkus-app");
        String ingestorJvm = "-Xmx512m";
        int rate = 0;
        int baselineRuns = 2;
        List<String> baselineLingers = List.of("5", "20");
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                case "--ingestor-app" -> ingestorApp = Path.of(args[++i]);
                case "--ingestor-jvm" -> ingestorJvm = args[++i];
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--baseline-runs" -> baselineRuns = Math.max(1, Integer.parseInt(args[++i]));
                case "--baseline-linger-ms" -> baselineLingers = lingers(args[++i]);
                case "--keep" -> keep = true;
                default -> {
                    System.err.println(
                            "usage: bench/ingest [--duration 60s] [--warmup 15s] [--rate trades/s (0 = as fast as the simulator can)] "
                                    + "[--baseline-linger-ms 5,20 (linger.ms values the baseline also tries, "
                                    + "besides the ingestor's; none: only the ingestor's)] "
                                    + "[--baseline-runs 2 (runs of the best setting; the best run is the baseline)] "
                                    + "[--ingestor-app dir] [--ingestor-jvm \"-Xmx512m ...\"] [--keep (the work dir: "
                                    + "logs, and gigabytes of Kafka data)]");
                    System.exit(2);
                }
            }
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        List<String> producerSettings = IngestorProducerSettings.ofApp(ingestorApp, ingestorJvm);
        Path work = Files.createTempDirectory("bench-ingest");
        System.out.printf(
                Locale.ROOT,
                "bench/ingest: %d s measured after %d s warm-up; simulator rate %s; %d cores, %s; work dir %s%n"
                        + "the ingestor's producer settings, given to the baseline too: %s%n",
                duration.toSeconds(),
                warmup.toSeconds(),
                rate == 0 ? "unlimited" : String.format(Locale.ROOT, "%,d trades/s", rate),
                Runtime.getRuntime().availableProcessors(),
                Machine.cpuModel(),
                work,
                String.join(" ", producerSettings));

        boolean done = false;
        try (KafkaBroker broker = KafkaBroker.builder(work.resolve("kafka"))
                .jvmOptions("-Xmx1g", "-XX:+UseG1GC")
                .start()) {
            Map<String, Integer> topics = new LinkedHashMap<>(Topic.defaultPartitionsByName());
            topics.put(BASELINE_TOPIC, Topic.TRADES.partitions()); // the baseline producer's, shaped like the trades'
            broker.createTopics(topics);
            IngestResult ingest = runIngestor(broker, ingestorApp, ingestorJvm, work, duration, warmup, rate);
            List<String> payloads = sampleValues(broker);
            int recordSize = averageSize(payloads);
            System.out.printf(
                    Locale.ROOT,
                    "ingestor: %,.0f trades/s published, p99 publish %.1f ms, RSS %d MiB, lost %d, "
                            + "started in %.2f s; record value %d bytes on average%n",
                    ingest.tradesPerSecond,
                    ingest.p99Millis,
                    ingest.rssMb,
                    ingest.lost,
                    ingest.startSeconds,
                    recordSize);

            long records = Math.max(100_000, (long) (ingest.tradesPerSecond * duration.toSeconds()));
            Path payloadFile = work.resolve("producer-perf.payloads");
            Files.writeString(payloadFile, String.join("\n", payloads));
            Baseline baseline =
                    runBaseline(broker, work, records, payloadFile, producerSettings, baselineLingers, baselineRuns);
            String ownLinger = IngestorProducerSettings.valueOf(producerSettings, LINGER_MS);
            System.out.printf(
                    Locale.ROOT,
                    "baseline: the best of %d runs, %,.0f records/s at linger.ms=%s; at the ingestor's own "
                            + "(linger.ms=%s) %,.0f records/s%n",
                    baseline.runs(),
                    baseline.best(),
                    baseline.bestLinger(),
                    ownLinger,
                    baseline.bestAt(ownLinger));
            System.out.printf(
                    Locale.ROOT,
                    "RESULT ingest_trades_per_s=%.0f producer_perf_records_per_s=%.0f ratio=%.2f baseline_linger_ms=%s "
                            + "ratio_same_settings=%.2f p99_publish_ms=%.1f ingestor_rss_mb=%d%n",
                    ingest.tradesPerSecond,
                    baseline.best(),
                    ingest.tradesPerSecond / baseline.best(),
                    baseline.bestLinger(),
                    ingest.tradesPerSecond / baseline.bestAt(ownLinger),
                    ingest.p99Millis,
                    ingest.rssMb);
            done = true;
        } finally {
            // after the broker has stopped; a failed run keeps its logs
            if (done && !keep) {
                SharedEngine.deleteRecursively(work);
            } else {
                System.err.println("bench/ingest: work dir kept: " + work);
            }
        }
    }

    /** The process's peak resident set (VmHWM of /proc/pid/status) in MiB, or "?". */
    static String peakRssMegabytes(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(l -> l.startsWith("VmHWM:"))
                    .findFirst()
                    .map(l -> Long.toString(Long.parseLong(l.replaceAll("\\D", "")) / 1024))
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    record IngestResult(double tradesPerSecond, double p99Millis, long rssMb, long lost, double startSeconds) {}

    static IngestResult runIngestor(
            KafkaBroker broker, Path app, String jvmOptions, Path work, Duration duration, Duration warmup, int rate)
            throws InterruptedException {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withTradesPerSecond(rate)
                .withTradesPerFrame(100)
                .withPingInterval(Duration.ofSeconds(30))
                .withDuplicateProbability(0);
        try (FeedSimulator simulator = FeedSimulator.start(config);
                IngestorProcess ingestor = IngestorProcess.builder(app)
                        .log(work.resolve("ingestor.log"))
                        .jvmOptions(jvmOptions.trim().split("\\s+"))
                        .env(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers())
                        .env("FINNHUB_URL", simulator.uri().toString())
                        .env(TradeContract.Env.FINNHUB_TOKEN, "bench")
                        .env("FINNHUB_SYMBOLS", String.join(",", SYMBOLS))
                        .start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ingestor.status("/q/health/ready") != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ingestor not ready:\n" + LogTail.of(ingestor.logFile(), 30));
                }
                Thread.sleep(200);
            }
            Thread.sleep(warmup.toMillis());
            ProcessCpu cpu = new ProcessCpu()
                    .add("ingestor", ingestor.pid())
                    .add(KAFKA, broker.pid())
                    .addCurrent("benchmark + simulator");
            PrometheusText before = ingestor.metrics();
            ProcessCpu.Sample cpuBefore = cpu.sample();
            long t0 = System.nanoTime();
            Thread.sleep(duration.toMillis());
            PrometheusText after = ingestor.metrics();
            ProcessCpu.Sample cpuAfter = cpu.sample();
            long t1 = System.nanoTime();
            double published =
                    after.value("ingestor_trades_published_total") - before.value("ingestor_trades_published_total");
            System.out.printf(
                    Locale.ROOT,
                    "ingestor phase: CPU in cores of %d: %s; µs of CPU per trade published: %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    cpuAfter.coresSince(cpuBefore),
                    cpuAfter.microsPerItemSince(cpuBefore, published));
            // the window's p99, from the histogram's buckets scraped before and after it
            double p99 = after.quantileSince(before, "ingestor_publish_latency_seconds", 0.99) * 1000;
            long rss = ingestor.rssMegabytes();
            System.out.printf(
                    Locale.ROOT,
                    "ingestor memory at the end: RSS %d MiB, peak RSS (VmHWM) %s MiB; JVM options %s%n",
                    rss,
                    peakRssMegabytes(ingestor.pid()),
                    jvmOptions);
            long lost = (long) after.value("ingestor_trades_lost_total");
            System.out.printf(
                    Locale.ROOT,
                    "simulator delivered %,d trades; ingestor received %,.0f%n",
                    simulator.groundTruth().totalTrades(),
                    after.value("ingestor_trades_received_total"));
            return new IngestResult(
                    published / ((t1 - t0) / 1e9),
                    p99,
                    rss,
                    lost,
                    ingestor.startDuration().toMillis() / 1000.0);
        }
    }

    static List<String> lingers(String list) {
        return list.equals("none")
                ? List.of()
                : Arrays.stream(list.split(",")).map(String::trim).toList();
    }

    /** Every baseline run's rate, by the {@code linger.ms} it ran with. */
    record Baseline(Map<String, List<Double>> ratesByLinger) {

        int runs() {
            return ratesByLinger.values().stream().mapToInt(List::size).sum();
        }

        double bestAt(String linger) {
            return ratesByLinger.getOrDefault(linger, List.of()).stream()
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(Double.NaN);
        }

        String bestLinger() {
            return ratesByLinger.keySet().stream()
                    .max(Comparator.comparingDouble(this::bestAt))
                    .orElseThrow();
        }

        double best() {
            return bestAt(bestLinger());
        }
    }

    /**
     * The best ProducerPerformance does with the ingestor's records on this broker: one run at the ingestor's own
     * settings and one at each other {@code linger.ms} of {@code lingers} (the linger sets how full the batches are, and
     * so what the producer and the broker spend per record), then {@code runs - 1} more at the best of them: one run's
     * rate moves by a fifth from run to run on a shared 2-core machine.
     */
    static Baseline runBaseline(
            KafkaBroker broker,
            Path work,
            long records,
            Path payloadFile,
            List<String> settings,
            List<String> lingers,
            int runs)
            throws IOException {
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        List<String> sweep = new ArrayList<>();
        sweep.add(IngestorProducerSettings.valueOf(settings, LINGER_MS));
        lingers.stream().filter(l -> !sweep.contains(l)).forEach(sweep::add);
        for (String linger : sweep) {
            baselineRun(broker, work, records, payloadFile, settings, linger, rates);
        }
        String best = new Baseline(rates).bestLinger();
        for (int run = 1; run < runs; run++) {
            baselineRun(broker, work, records, payloadFile, settings, best, rates);
        }
        return new Baseline(rates);
    }

    private static void baselineRun(
            KafkaBroker broker,
            Path work,
            long records,
            Path payloadFile,
            List<String> settings,
            String linger,
            Map<String, List<Double>> rates)
            throws IOException {
        double rate = runProducerPerformance(
                broker, work, records, payloadFile, IngestorProducerSettings.with(settings, LINGER_MS, linger));
        rates.computeIfAbsent(linger, l -> new ArrayList<>()).add(rate);
        System.out.printf(
                Locale.ROOT,
                "baseline run %d: ProducerPerformance, %,d records of the ingestor's values, its settings with "
                        + "linger.ms=%s: %,.0f records/s%n",
                new Baseline(rates).runs(),
                records,
                linger,
                rate);
    }

    /** Values of the ingestor's records: the baseline sends the same ones (same size, compressed as well by lz4). */
    static List<String> sampleValues(KafkaBroker broker) {
        return TopicReader.of(broker).readAtLeast(TradeContract.TRADES_TOPIC, 2_000, Duration.ofSeconds(30)).stream()
                .map(TopicRecord::value)
                .toList();
    }

    static int averageSize(List<String> values) {
        return (int) Math.round(values.stream()
                .mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length)
                .average()
                .orElse(200));
    }

    /**
     * ProducerPerformance sending {@code records} records, each one of the lines of {@code payloadFile} picked at random (its {@code
     * --payload-file}): with {@code --record-size} it would send random letters, which lz4 hardly compresses, so the
     * broker would get several times the bytes per record that the ingestor's JSON takes.
     */
    static double runProducerPerformance(
            KafkaBroker broker, Path work, long records, Path payloadFile, List<String> producerSettings)
            throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--topic",
                BASELINE_TOPIC,
                "--num-records",
                Long.toString(records),
                "--payload-file",
                payloadFile.toString(),
                "--throughput",
                "-1",
                "--producer-props",
                "bootstrap.servers=" + broker.bootstrapServers()));
        args.addAll(producerSettings);
        Path out = work.resolve("producer-perf.out");
        JavaProcess perf = JavaProcess.builder("org.apache.kafka.tools.ProducerPerformance")
                .name("producer-perf")
                .jarsIn(EngineLibraries.kafka())
                .jvmOptions("-Xmx512m", "-Dlog4j2.level=warn")
                .args(args.toArray(String[]::new))
                .workingDirectory(work)
                .output(out)
                .start();
        // CPU from its third second (past the JVM's start) to the last sample before it exits: a process that has
        // exited has no CPU time to read
        ProcessCpu cpu = new ProcessCpu().add("ProducerPerformance", perf.pid()).add(KAFKA, broker.pid());
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        boolean ended = perf.waitFor(Duration.ofSeconds(2));
        ProcessCpu.Sample first = cpu.sample();
        ProcessCpu.Sample last = first;
        while (!ended) {
            if (System.nanoTime() > deadline) {
                perf.kill();
                throw new IllegalStateException("ProducerPerformance did not finish in 10 minutes");
            }
            ended = perf.waitFor(Duration.ofMillis(500));
            if (!ended) {
                last = cpu.sample();
            }
        }
        String text = Files.readString(out);
        Matcher m = PERF_SUMMARY.matcher(text);
        double rate = -1;
        while (m.find()) {
            rate = Double.parseDouble(m.group(2));
        }
        if (rate < 0) {
            throw new IllegalStateException(
                    "No summary line in the ProducerPerformance output:\n" + LogTail.of(out, 20));
        }
        double sent = rate * last.secondsSince(first);
        System.out.printf(
                Locale.ROOT,
                "baseline phase: CPU in cores of %d over %.0f s: %s; µs of CPU per record: %s%n",
                Runtime.getRuntime().availableProcessors(),
                last.secondsSince(first),
                last.coresSince(first),
                last.microsPerItemSince(first, sent));
        return rate;
    }
}
