package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.LogTail;
import io.streamingpipeline.localstack.spark.SparkCluster;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/latency: the whole pipeline on the local stack, fresh in a temporary directory (Kafka, Cassandra + schema,
 * Spark master + worker + the job jar, the packaged ingestor, feed simulators), at each rate in turn (default 1,000 and
 * 20,000 trades/s, 60 s measured each): how long a trade takes from the simulator to a row readable in Cassandra
 * (end-to-end), and to a record readable in Kafka (ingest). Sampled: a probe symbol at a low fixed rate (20 trades/s)
 * is mixed into the load symbols through {@link FeedMux}, and only its trades are followed ({@link ProbeTracker}).
 * Then, in the job's place on the same cluster and engines, Spark's floor: {@code SparkFloorQuery} (the Kafka source
 * and a sink that does nothing but hand the probe's records to the benchmark, same trigger), measured the same way at
 * each rate of {@code --floor-rates}. The last line printed is the {@code RESULT} line.
 */
public final class LatencyBenchmark {

    static final String JOB_MAIN_CLASS = "io.streamingpipeline.spark.TradesToCassandraJob";
    static final String FLOOR_MAIN_CLASS = "io.streamingpipeline.bench.floor.SparkFloorQuery";
    static final String PROBE_SYMBOL = "BENCH:PROBE";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Settings, all overridable by flags. */
    static final class Options {
        List<Integer> rates = List.of(1_000, 20_000);
        Duration duration = Duration.ofSeconds(60);
        Duration warmup = Duration.ofSeconds(120);
        Duration drainTimeout = Duration.ofSeconds(120);
        int probeRate = 20;
        long pollMillis = 20;
        String triggerInterval = "250ms";
        Duration catchUpTimeout = Duration.ofSeconds(180);
        int workerCores; // 0: as ./pipeline run, 2 task slots per core
        long maxOffsetsPerTrigger = 50_000;
        int shufflePartitions = 2;
        String lingerMs = "5";
        Path ingestorApp = Path.of("ingestor/target/quarkus-app");
        Path jobJar = Path.of("spark-streaming/target/spark-streaming-job.jar");
        Path floorJar = Path.of("bench/target/benchmarks-floor.jar");
        List<Integer> floorRates; // null: the same as rates
        String ingestorJvm = "-Xmx512m";
        String cassandraHeap = CassandraNode.PIPELINE_HEAP;
        String jobJvm = "";
        Map<String, String> sparkConf = new LinkedHashMap<>();
        boolean keep;
    }

    static final String USAGE = """
            usage: bench/latency [options]
              --rates 1000,20000          trades/s of each phase, in order (load symbols + the probe symbol)
              --duration 60               seconds measured per rate
              --warmup 120                seconds per rate before measuring (JIT: a fresh job's batches shorten for ~2 min)
              --catch-up-timeout 180      seconds to wait after the warm-up for the job to be <= 2 s of input behind Kafka
              --drain-timeout 120         seconds to wait after a phase for its probe rows (and the job's catch-up)
              --probe-rate 20             trades/s of the probe symbol (part of the rate)
              --poll-ms 20                Cassandra poll interval for the probe rows
              --trigger-interval 250ms    the job's micro-batch trigger
              --worker-cores N            task slots the Spark worker offers; default as ./pipeline run: 2 per core
              --max-offsets-per-trigger 50000
              --shuffle-partitions 2      spark.sql.shuffle.partitions of the job
              --linger-ms 5               the ingestor's producer linger.ms (MP_MESSAGING_OUTGOING_TRADES_LINGER_MS)
              --spark-conf key=value      extra Spark conf for the job (repeatable)
              --job-jvm "-XX:..."         extra JVM options of the job's driver and executor
              --ingestor-jvm "-Xmx512m"   JVM options of the ingestor
              --cassandra-heap 2g         -Xmx of the Cassandra node (its memtables get a quarter of it); default as ./pipeline run
              --floor-rates 1000,20000    rates of the floor query's phases after the job's (default: --rates; "none" skips)
              --keep                      keep the temporary work dir (logs) at the end
            """;

    /** Sets {@code o} from bench/latency's flags. */
    static void parse(String[] args, Options o) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--rates" ->
                    o.rates = Arrays.stream(args[++i].split(","))
                            .map(s -> Integer.parseInt(s.trim()))
                            .toList();
                case "--duration" -> o.duration = seconds(args[++i]);
                case "--warmup" -> o.warmup = seconds(args[++i]);
                case "--drain-timeout" -> o.drainTimeout = seconds(args[++i]);
                case "--catch-up-timeout" -> o.catchUpTimeout = seconds(args[++i]);
                case "--probe-rate" -> o.probeRate = Integer.parseInt(args[++i]);
                case "--poll-ms" -> o.pollMillis = Long.parseLong(args[++i]);
                case "--trigger-interval" -> o.triggerInterval = args[++i];
                case "--worker-cores" -> o.workerCores = Integer.parseInt(args[++i]);
                case "--max-offsets-per-trigger" -> o.maxOffsetsPerTrigger = Long.parseLong(args[++i]);
                case "--shuffle-partitions" -> o.shufflePartitions = Integer.parseInt(args[++i]);
                case "--linger-ms" -> o.lingerMs = args[++i];
                case "--spark-conf" -> {
                    String kv = args[++i];
                    o.sparkConf.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
                case "--job-jvm" -> o.jobJvm = args[++i];
                case "--ingestor-jvm" -> o.ingestorJvm = args[++i];
                case "--cassandra-heap" -> o.cassandraHeap = args[++i];
                case "--ingestor-app" -> o.ingestorApp = Path.of(args[++i]);
                case "--job-jar" -> o.jobJar = Path.of(args[++i]);
                case "--floor-jar" -> o.floorJar = Path.of(args[++i]);
                case "--floor-rates" -> {
                    String v = args[++i];
                    o.floorRates = v.equals("none")
                            ? List.of()
                            : Arrays.stream(v.split(","))
                                    .map(r -> Integer.parseInt(r.trim()))
                                    .toList();
                }
                case "--keep" -> o.keep = true;
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options();
        try {
            parse(args, o);
            if (o.floorRates == null) {
                o.floorRates = o.rates;
            }
            if (o.rates.isEmpty()
                    || o.rates.stream().anyMatch(r -> r <= o.probeRate)
                    || o.floorRates.stream().anyMatch(r -> r <= o.probeRate)) {
                throw new IllegalArgumentException("each rate must be above --probe-rate " + o.probeRate);
            }
        } catch (RuntimeException e) {
            System.err.println("bench/latency: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new LatencyBenchmark(o).run());
    }

    private final Options o;
    /** What to stop at the end, newest first (each by its own PID, through the local stack's handles). */
    private final Deque<Runnable> stops = new ArrayDeque<>();

    Path work;

    LatencyBenchmark(Options o) {
        this.o = o;
    }

    int run() throws IOException {
        work = Files.createTempDirectory("bench-latency");
        System.out.printf(
                Locale.ROOT,
                "bench/latency %s UTC: rates %s trades/s, %d s measured after %d s warm-up each; %d cores, "
                        + "load average %s; work dir %s%n",
                now(),
                o.rates,
                o.duration.toSeconds(),
                o.warmup.toSeconds(),
                Runtime.getRuntime().availableProcessors(),
                loadAverage(),
                work);
        System.out.printf(
                Locale.ROOT,
                "settings: job --trigger-interval %s --max-offsets-per-trigger %d, "
                        + "spark.sql.shuffle.partitions=%d%s%s, driver/executor heap 1g, worker %s; ingestor linger.ms=%s, %s; "
                        + "Kafka topic %s with 3 partitions; Cassandra heap %s; probe %s at %d trades/s, Cassandra polled every %d ms%n",
                o.triggerInterval,
                o.maxOffsetsPerTrigger,
                o.shufflePartitions,
                o.sparkConf.isEmpty() ? "" : " " + o.sparkConf,
                o.jobJvm.isBlank() ? "" : ", job JVM " + o.jobJvm,
                o.workerCores > 0 ? o.workerCores + " cores" : "2 task slots per core",
                o.lingerMs,
                o.ingestorJvm,
                TradeContract.TRADES_TOPIC,
                o.cassandraHeap,
                PROBE_SYMBOL,
                o.probeRate,
                o.pollMillis);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "bench-latency-stop"));
        List<PhaseResult> results = new ArrayList<>();
        List<PhaseResult> floorResults = new ArrayList<>();
        try {
            requireFile(o.ingestorApp.resolve("quarkus-run.jar"));
            requireFile(o.jobJar);
            if (!o.floorRates.isEmpty()) {
                requireFile(o.floorJar);
            }
            KafkaBroker kafka = startKafka();
            CassandraNode cassandra = startCassandra();
            SparkCluster spark = startSpark();
            int healthPort = FreePorts.pick();
            SparkDriver job = submitJob(kafka, cassandra, spark, healthPort);
            try (CqlSession session = cassandra.session();
                    ProbeTracker tracker = new ProbeTracker(
                            kafka.bootstrapServers(),
                            TradeContract.TRADES_TOPIC,
                            3,
                            ProbeSink.cassandra(session, PROBE_SYMBOL),
                            PROBE_SYMBOL,
                            o.pollMillis)) {
                Stack stack = Stack.job(
                        kafka, job, healthPort, tracker, cassandra.pid(), spark.masterPid(), spark.workerPid());
                runPhases(stack, o.rates, results);
                System.out.printf(
                        Locale.ROOT,
                        "probe polls: %,d, %.1f ms each on average, %,d rows read%n",
                        tracker.polls(),
                        tracker.meanPollMillis(),
                        tracker.rowsRead());
            }
            if (!o.floorRates.isEmpty()) {
                // the floor replaces the job on the same cluster: the job's executors go, the floor's come
                job.stop(Duration.ofSeconds(60));
                int floorPort = FreePorts.pick();
                Path probesFile = work.resolve("floor-probes.jsonl");
                SparkDriver floor = submitFloor(kafka, spark, floorPort, probesFile);
                // its first batch is done: it starts from these offsets (nothing is produced between the phases)
                long inKafka = kafka.endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                try (ProbeTracker tracker = new ProbeTracker(
                        kafka.bootstrapServers(),
                        TradeContract.TRADES_TOPIC,
                        3,
                        ProbeSink.appendedJsonLines(probesFile),
                        PROBE_SYMBOL,
                        o.pollMillis)) {
                    Stack stack = Stack.floor(
                            kafka,
                            floor,
                            floorPort,
                            tracker,
                            inKafka,
                            cassandra.pid(),
                            spark.masterPid(),
                            spark.workerPid());
                    runPhases(stack, o.floorRates, floorResults);
                }
            }
        } catch (RuntimeException e) {
            System.out.println("bench/latency FAILED: " + e.getMessage());
            e.printStackTrace(System.out);
            stopAll();
            return 1;
        }
        stopAll();
        if (!o.keep) {
            deleteTree(work);
        }
        System.out.println(
                "summary (ms; e2e = simulator -> row readable in Cassandra, or for the floor query in its file; "
                        + "ingest = simulator -> record readable in Kafka):");
        for (PhaseResult r : results) {
            System.out.println("  " + r.summary());
        }
        for (PhaseResult r : floorResults) {
            System.out.println("  " + r.summary());
        }
        StringBuilder result = new StringBuilder("RESULT");
        for (PhaseResult r : results) {
            result.append(String.format(Locale.ROOT, " p99_ms_at_%s=%d", label(r.rate), r.e2e.p99));
        }
        result.append(
                String.format(Locale.ROOT, " p50_ms_at_%s=%d", label(results.get(0).rate), results.get(0).e2e.p50));
        for (PhaseResult f : floorResults) {
            result.append(String.format(Locale.ROOT, " floor_p99_ms_at_%s=%d", label(f.rate), f.e2e.p99));
            results.stream()
                    .filter(r -> r.rate == f.rate)
                    .findFirst()
                    .ifPresent(r -> result.append(String.format(
                            Locale.ROOT,
                            " ratio_at_%s=%.2f",
                            label(f.rate),
                            (double) r.e2e.p99 / Math.max(1, f.e2e.p99))));
        }
        System.out.println(result);
        return 0;
    }

    /**
     * The pipeline under test: the job, or the floor query in its place ({@code floor}; it counts records read, from
     * {@code rowsBase}, the records in Kafka when it started at the topic's end).
     */
    record Stack(
            KafkaBroker kafka,
            SparkDriver job,
            int healthPort,
            ProbeTracker tracker,
            long cassandraPid,
            long sparkMasterPid,
            long sparkWorkerPid,
            boolean floor,
            long rowsBase) {

        static Stack job(
                KafkaBroker kafka,
                SparkDriver job,
                int healthPort,
                ProbeTracker tracker,
                long cassandraPid,
                long sparkMasterPid,
                long sparkWorkerPid) {
            return new Stack(kafka, job, healthPort, tracker, cassandraPid, sparkMasterPid, sparkWorkerPid, false, 0);
        }

        static Stack floor(
                KafkaBroker kafka,
                SparkDriver floor,
                int metricsPort,
                ProbeTracker tracker,
                long rowsBase,
                long cassandraPid,
                long sparkMasterPid,
                long sparkWorkerPid) {
            return new Stack(
                    kafka, floor, metricsPort, tracker, cassandraPid, sparkMasterPid, sparkWorkerPid, true, rowsBase);
        }

        PrometheusText metrics() {
            return jobMetrics(healthPort);
        }

        /** Records the job wrote to the trades table, or the floor query read (plus what Kafka held at its start). */
        double rowsWritten(PrometheusText m) {
            return floor
                    ? rowsBase + m.value("floor_rows_read_total")
                    : m.value("trades_job_rows_written_total", "sink", CassandraSchema.TRADES_TABLE);
        }

        double lastBatchId(PrometheusText m) {
            return floor
                    ? m.value("floor_last_batch_id")
                    : m.value("trades_job_query_last_batch_id", "query", "trades");
        }

        double lastBatchSeconds(PrometheusText m) {
            return floor
                    ? m.value("floor_batch_duration_seconds")
                    : m.value("trades_job_query_batch_duration_seconds", "query", "trades");
        }

        String name() {
            return floor ? "floor query" : "job";
        }

        /** Every process of the pipeline and the benchmark, with this phase's ingestor. */
        ProcessCpu cpu(IngestorProcess ingestor) {
            return new ProcessCpu()
                    .add("driver", job.pid())
                    .addDescendants("executor", sparkWorkerPid)
                    .add("Cassandra", cassandraPid)
                    .add("Kafka", kafka.pid())
                    .add("ingestor", ingestor.pid())
                    .addCurrent("benchmark + simulators")
                    .add("Spark master", sparkMasterPid)
                    .add("Spark worker", sparkWorkerPid);
        }
    }

    // ---------------------------------------------------------------- engines

    KafkaBroker startKafka() {
        KafkaBroker kafka = KafkaBroker.builder(work.resolve("kafka"))
                .jvmOptions("-Xmx1g", "-XX:+UseG1GC")
                .start();
        stops.push(kafka::stop);
        kafka.createTopics(Map.of(TradeContract.TRADES_TOPIC, 3, TradeContract.DEAD_LETTER_TOPIC, 1));
        System.out.printf(
                Locale.ROOT, "  Kafka ready in %.1f s (pid %d)%n", seconds(kafka.lastStartDuration()), kafka.pid());
        return kafka;
    }

    CassandraNode startCassandra() {
        CassandraNode cassandra = CassandraNode.builder(work.resolve("cassandra"))
                .heap(o.cassandraHeap)
                .start();
        stops.push(cassandra::stop);
        try (CqlSession session = cassandra.session()) {
            for (String statement : CassandraSchema.statements(CassandraSchema.Replication.simple(1))) {
                session.execute(statement);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  Cassandra ready in %.1f s (pid %d), schema applied%n",
                seconds(cassandra.lastStartDuration()),
                cassandra.pid());
        return cassandra;
    }

    SparkCluster startSpark() {
        SparkCluster.Builder builder = SparkCluster.builder(work.resolve("spark"));
        SparkCluster spark =
                (o.workerCores > 0 ? builder.workerCores(o.workerCores) : builder.workerCoresForPipeline()).start();
        stops.push(spark::stop);
        System.out.printf(
                Locale.ROOT,
                "  Spark ready (master %.1f s, worker %.1f s, pids %d, %d)%n",
                seconds(spark.masterStartDuration()),
                seconds(spark.workerStartDuration()),
                spark.masterPid(),
                spark.workerPid());
        return spark;
    }

    SparkDriver submitJob(KafkaBroker kafka, CassandraNode cassandra, SparkCluster spark, int healthPort)
            throws IOException {
        Path passwordFile = work.resolve("cassandra-password");
        Files.writeString(passwordFile, cassandra.password() + "\n");
        SparkSubmission.Builder submission = SparkSubmission.builder(JOB_MAIN_CLASS, o.jobJar.toAbsolutePath())
                .name("latency-bench")
                .logFile(work.resolve("spark-driver.log"))
                .driverHeap("1g")
                .executorMemory("1g")
                .conf("spark.sql.shuffle.partitions", Integer.toString(o.shufflePartitions));
        o.sparkConf.forEach(submission::conf);
        if (!o.jobJvm.isBlank()) {
            submission
                    .driverJvmOptions(o.jobJvm.trim().split("\\s+"))
                    .conf("spark.executor.extraJavaOptions", o.jobJvm.trim());
        }
        submission.args(
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--checkpoint-location",
                work.resolve("checkpoints").toUri().toString(),
                "--starting-offsets",
                "earliest",
                "--cassandra-host",
                cassandra.host(),
                "--cassandra-port",
                Integer.toString(cassandra.port()),
                "--cassandra-local-dc",
                cassandra.datacenter(),
                "--cassandra-username",
                cassandra.username(),
                "--cassandra-password-file",
                passwordFile.toString(),
                "--trigger-interval",
                o.triggerInterval,
                "--max-offsets-per-trigger",
                Long.toString(o.maxOffsetsPerTrigger),
                "--health-port",
                Integer.toString(healthPort),
                "--health-bind-address",
                "127.0.0.1");
        long t0 = System.nanoTime();
        SparkDriver driver = spark.submit(submission.build());
        stops.push(() -> driver.stop(Duration.ofSeconds(60)));
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (status(healthPort, "/health/live") != 200) {
            if (!driver.isAlive()) {
                throw new IllegalStateException(
                        "the Spark job exited while starting; its log ends with:\n" + driver.logTail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the Spark job did not start within 4 minutes; its log ends with:\n" + driver.logTail(30));
            }
            sleep(500);
        }
        System.out.printf(
                Locale.ROOT, "  job running in %.1f s (driver pid %d)%n", (System.nanoTime() - t0) / 1e9, driver.pid());
        return driver;
    }

    /**
     * The floor query ({@code SparkFloorQuery} in the floor jar) on the same cluster with the job's trigger and
     * per-batch limit, the job jar on {@code spark.jars} for the Kafka source; returns once its metrics answer (after
     * its first batch).
     */
    private SparkDriver submitFloor(KafkaBroker kafka, SparkCluster spark, int metricsPort, Path probesFile) {
        SparkSubmission.Builder submission = SparkSubmission.builder(FLOOR_MAIN_CLASS, o.floorJar.toAbsolutePath())
                .name("latency-floor")
                .logFile(work.resolve("spark-floor-driver.log"))
                .driverHeap("1g")
                .executorMemory("1g")
                .conf("spark.jars", o.jobJar.toAbsolutePath().toString())
                .conf("spark.sql.shuffle.partitions", Integer.toString(o.shufflePartitions));
        o.sparkConf.forEach(submission::conf);
        if (!o.jobJvm.isBlank()) {
            submission
                    .driverJvmOptions(o.jobJvm.trim().split("\\s+"))
                    .conf("spark.executor.extraJavaOptions", o.jobJvm.trim());
        }
        submission.args(
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                TradeContract.TRADES_TOPIC,
                "--probe-key",
                PROBE_SYMBOL,
                "--out",
                probesFile.toString(),
                "--checkpoint-location",
                work.resolve("floor-checkpoint").toUri().toString(),
                "--trigger-interval-ms",
                Long.toString(triggerMillis(o.triggerInterval)),
                "--max-offsets-per-trigger",
                Long.toString(o.maxOffsetsPerTrigger),
                "--metrics-port",
                Integer.toString(metricsPort));
        long t0 = System.nanoTime();
        SparkDriver driver = spark.submit(submission.build());
        stops.push(() -> driver.stop(Duration.ofSeconds(60)));
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (status(metricsPort, "/metrics") != 200) {
            if (!driver.isAlive()) {
                throw new IllegalStateException(
                        "the floor query exited while starting; its log ends with:\n" + driver.logTail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the floor query did not start within 4 minutes; its log ends with:\n" + driver.logTail(30));
            }
            sleep(500);
        }
        System.out.printf(
                Locale.ROOT,
                "  floor query running in %.1f s (driver pid %d)%n",
                (System.nanoTime() - t0) / 1e9,
                driver.pid());
        return driver;
    }

    /** "250ms", "1s" or "2 seconds" in milliseconds. */
    static long triggerMillis(String interval) {
        String t = interval.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.endsWith("ms")) {
            return Long.parseLong(t.substring(0, t.length() - 2));
        }
        String number = t.replaceAll("[a-z]+$", "");
        return Math.round(Double.parseDouble(number) * 1000);
    }

    // ---------------------------------------------------------------- one rate

    private void runPhases(Stack stack, List<Integer> rates, List<PhaseResult> results) {
        for (int i = 0; i < rates.size(); i++) {
            PhaseResult r = runPhase(stack, rates.get(i));
            results.add(r);
            r.print();
            if (i < rates.size() - 1) {
                awaitCatchUp(stack);
            }
        }
    }

    PhaseResult runPhase(Stack stack, int rate) {
        System.out.printf(
                Locale.ROOT,
                "--- %s: %,d trades/s (%,d load over %d symbols + %d probe) ---%n",
                stack.name(),
                rate,
                rate - o.probeRate,
                IngestBenchmark.SYMBOLS.size(),
                o.probeRate);
        int loadRate = rate - o.probeRate;
        FeedSimulator load = FeedSimulator.start(SimulatorConfig.defaults()
                .withSeed(System.currentTimeMillis())
                .withTradesPerSecond(loadRate)
                .withTradesPerFrame(Math.max(1, Math.min(100, loadRate / 50)))
                .withPingInterval(Duration.ofSeconds(30))
                .withDuplicateProbability(0));
        long phaseStart = System.currentTimeMillis();
        FeedSimulator probe = FeedSimulator.start(SimulatorConfig.defaults()
                .withSeed(7)
                .withTradesPerSecond(o.probeRate)
                .withTradesPerFrame(1)
                .withPingInterval(Duration.ofSeconds(30))
                .withDuplicateProbability(0));
        FeedMux mux = FeedMux.start(load.uri(), probe.uri(), PROBE_SYMBOL);
        List<String> symbols = new ArrayList<>(IngestBenchmark.SYMBOLS);
        symbols.add(PROBE_SYMBOL);
        IngestorProcess ingestor = null;
        try {
            ingestor = startIngestor(stack, mux, symbols, (stack.floor ? "floor-" : "") + rate);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ingestor.status("/q/health/ready") != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ingestor not ready:\n" + LogTail.of(ingestor.logFile(), 30));
                }
                sleep(200);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  ingestor ready in %.1f s (pid %d)%n",
                    seconds(ingestor.startDuration()),
                    ingestor.pid());
            if (stack.tracker.latestEndToEndMillis() < 0) {
                // the job's first micro-batches (class loading, code generation, connections) are not the steady state
                long t0 = System.nanoTime();
                long flowDeadline = t0 + Duration.ofMinutes(5).toNanos();
                while (stack.tracker.latestEndToEndMillis() < 0 && System.nanoTime() < flowDeadline) {
                    stack.tracker.check();
                    checkAlive(stack);
                    sleep(200);
                }
                System.out.printf(
                        Locale.ROOT,
                        "  first probe row at the sink after %.1f s (the %s's first batches)%n",
                        (System.nanoTime() - t0) / 1e9,
                        stack.name());
            }
            System.out.printf(Locale.ROOT, "  warm-up %d s%n", o.warmup.toSeconds());
            progress(stack, ingestor, load, probe, o.warmup, "warm-up");
            awaitCaughtUp(stack, ingestor, load, probe, rate);

            ProcessCpu cpu = stack.cpu(ingestor);
            long windowStart = System.currentTimeMillis();
            Counters before = counters(stack, ingestor, load, probe);
            String loadBefore = loadAverage();
            ProcessCpu.Sample cpuBefore = cpu.sample();
            List<Double> batchDurations = progress(stack, ingestor, load, probe, o.duration, "measure");
            long windowEnd = System.currentTimeMillis();
            Counters after = counters(stack, ingestor, load, probe);
            String loadAfter = loadAverage();
            String cores = cpu.sample().coresSince(cpuBefore);
            long lostInIngestor = (long) ingestorMetrics(ingestor).value("ingestor_trades_lost_total");

            // the feed first (the ingestor may still hold a queue of received frames), then SIGTERM: flush to Kafka.
            // The probe simulator before the mux: it counts a trade as delivered once written to its socket, so the
            // mux must forward what it has read; closing the mux first lost a probe trade now and then ("1 lost before
            // Kafka" in some runs, with the ingestor's own loss counter at 0).
            probe.close();
            if (!mux.awaitSessionsClosed(Duration.ofSeconds(10))) {
                System.out.println("  (the feed mux still had a connection 10 s after the probe simulator closed)");
            }
            load.close();
            mux.close();
            try {
                ingestor.terminate(Duration.ofSeconds(60));
            } catch (IllegalStateException killed) {
                System.out.println(
                        "  (the ingestor did not stop within 60 s of SIGTERM, still working through the frames it had"
                                + " received; killed: what it held is lost)");
            }
            ingestor = null;

            // Loss is counted over every probe trade of the phase, not the window's: a window bound falls between the
            // simulator's counter and the trade times it stamps (up to 40 ms early), which moved a trade or two across.
            long probeSentInPhase = probe.groundTruth().totalTrades();
            long phaseProbesFrom = phaseStart - 100;
            long drainDeadline = System.currentTimeMillis() + o.drainTimeout.toMillis();
            int unseen;
            while (((unseen = unseen(stack.tracker, windowStart, windowEnd)) > 0
                            || stack.tracker
                                            .probesBetween(phaseProbesFrom, Long.MAX_VALUE)
                                            .size()
                                    < probeSentInPhase)
                    && System.currentTimeMillis() < drainDeadline) {
                stack.tracker.check();
                checkAlive(stack);
                sleep(250);
            }
            long drainedAt = System.currentTimeMillis();
            double storedAtDrain = stack.rowsWritten(stack.metrics());
            System.out.printf(
                    Locale.ROOT,
                    "  drain: %s %.1f s after the window%n",
                    unseen == 0 ? "all probe rows of the window in Cassandra" : unseen + " probe rows still missing",
                    (drainedAt - windowEnd) / 1000.0);
            PhaseResult result = PhaseResult.of(
                    rate,
                    stack.tracker,
                    windowStart,
                    windowEnd,
                    drainedAt,
                    before,
                    after,
                    lostInIngestor,
                    batchDurations,
                    loadBefore + " -> " + loadAfter);
            result.floor = stack.floor;
            result.storedThroughDrainPerS = (storedAtDrain - before.stored) / ((drainedAt - windowStart) / 1000.0);
            result.probeSentInPhase = probeSentInPhase;
            result.probeInKafkaInPhase =
                    stack.tracker.probesBetween(phaseProbesFrom, Long.MAX_VALUE).size();
            result.cores = cores;
            return result;
        } finally {
            if (ingestor != null) {
                ingestor.kill();
            }
            mux.close();
            probe.close();
            load.close();
        }
    }

    /**
     * The packaged ingestor on a free HTTP port; tried again (up to 3 times) when another process took the port between
     * its pick and the ingestor's bind, which happens on a machine this busy.
     */
    private IngestorProcess startIngestor(Stack stack, FeedMux mux, List<String> symbols, String logName) {
        for (int attempt = 1; ; attempt++) {
            try {
                return IngestorProcess.builder(o.ingestorApp)
                        .log(work.resolve("ingestor-" + logName + (attempt > 1 ? "-" + attempt : "") + ".log"))
                        .jvmOptions(o.ingestorJvm.trim().split("\\s+"))
                        .env(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, stack.kafka.bootstrapServers())
                        .env("FINNHUB_URL", mux.uri().toString())
                        .env(TradeContract.Env.FINNHUB_TOKEN, "bench")
                        .env("FINNHUB_SYMBOLS", String.join(",", symbols))
                        .env("MP_MESSAGING_OUTGOING_TRADES_LINGER_MS", o.lingerMs)
                        .start();
            } catch (EngineStartException e) {
                if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains("in use")) {
                    throw e;
                }
                System.out.println("  (the ingestor's HTTP port was taken before it bound it; starting it again)");
            }
        }
    }

    /**
     * The job's first batches (JIT, code generation, connections) leave a backlog; the window measures the steady
     * state, so it starts once the job is within 2 s of input behind Kafka, or after --catch-up-timeout.
     */
    private void awaitCaughtUp(
            Stack stack, IngestorProcess ingestor, FeedSimulator load, FeedSimulator probe, int rate) {
        long start = System.nanoTime();
        long deadline = start + o.catchUpTimeout.toNanos();
        long allowed = 2L * rate;
        long backlog;
        while ((backlog = backlog(counters(stack, ingestor, load, probe))) > allowed && System.nanoTime() < deadline) {
            progress(stack, ingestor, load, probe, Duration.ofSeconds(5), "catch-up");
        }
        boolean caughtUp = backlog <= allowed;
        System.out.printf(
                Locale.ROOT,
                "  %s after %.0f s more (backlog %,d records, %s %,d = 2 s of input)%n",
                caughtUp ? "job caught up" : "job NOT caught up; measuring anyway",
                (System.nanoTime() - start) / 1e9,
                backlog,
                caughtUp ? "<=" : ">",
                allowed);
    }

    private static long backlog(Counters c) {
        return (long) Math.max(0, c.kafkaRecords - c.stored);
    }

    private static int unseen(ProbeTracker tracker, long from, long to) {
        int n = 0;
        for (ProbeTracker.KafkaProbe p : tracker.probesBetween(from, to)) {
            if (tracker.seenInSink(p.id()) == null) {
                n++;
            }
        }
        return n;
    }

    /** Sleeps {@code length}, printing a line every 10 s; returns the durations (s) of the trades query's batches seen. */
    private List<Double> progress(
            Stack stack,
            IngestorProcess ingestor,
            FeedSimulator load,
            FeedSimulator probe,
            Duration length,
            String what) {
        List<Double> batchDurations = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long nextLine = start + Duration.ofSeconds(10).toNanos();
        double lastBatch = -1;
        Counters last = counters(stack, ingestor, load, probe);
        long lastAt = System.nanoTime();
        while (System.nanoTime() < end) {
            sleep(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            stack.tracker.check();
            checkAlive(stack);
            if (!ingestor.isAlive()) {
                throw new IllegalStateException("the ingestor exited; its log ends with:\n" + ingestor.logTail(30));
            }
            PrometheusText jobMetrics = stack.metrics();
            double batchId = stack.lastBatchId(jobMetrics);
            if (batchId != lastBatch) {
                batchDurations.add(stack.lastBatchSeconds(jobMetrics));
                lastBatch = batchId;
            }
            if (System.nanoTime() >= nextLine || System.nanoTime() >= end) {
                Counters now = counters(stack, ingestor, load, probe);
                double s = (System.nanoTime() - lastAt) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "  [%s %3ds] delivered %,.0f/s  published %,.0f/s  stored %,.0f/s  "
                                + "backlog %,d  last batch %.2f s  latest probe e2e %d ms  load %s%n",
                        what,
                        Duration.ofNanos(System.nanoTime() - start).toSeconds(),
                        (now.delivered - last.delivered) / s,
                        (now.published - last.published) / s,
                        (now.stored - last.stored) / s,
                        backlog(now),
                        stack.lastBatchSeconds(jobMetrics),
                        stack.tracker.latestEndToEndMillis(),
                        loadAverage());
                last = now;
                lastAt = System.nanoTime();
                nextLine += Duration.ofSeconds(10).toNanos();
            }
        }
        return batchDurations;
    }

    /** Before the next rate: until the job wrote as many rows as Kafka holds, or the drain timeout. */
    void awaitCatchUp(Stack stack) {
        long deadline = System.nanoTime() + o.drainTimeout.toNanos();
        long inKafka;
        double stored;
        do {
            inKafka = stack.kafka.endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            stored = stack.rowsWritten(stack.metrics());
            if (stored >= inKafka) {
                return;
            }
            sleep(500);
        } while (System.nanoTime() < deadline);
        System.out.printf(
                Locale.ROOT,
                "  (the job is still %,d records behind Kafka; the next rate starts with that backlog)%n",
                (long) (inKafka - stored));
    }

    record Counters(double delivered, double published, double stored, long kafkaRecords) {}

    private static Counters counters(Stack stack, IngestorProcess ingestor, FeedSimulator load, FeedSimulator probe) {
        // the simulators first: their counts belong to the window's boundary, the HTTP scrapes below take a while
        long probeDelivered = probe.groundTruth().totalTrades();
        long loadDelivered = load.groundTruth().totalTrades();
        PrometheusText job = stack.metrics();
        return new Counters(
                loadDelivered + probeDelivered,
                ingestorMetrics(ingestor).value("ingestor_trades_published_total"),
                stack.rowsWritten(job),
                stack.kafka.endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
    }

    /** The ingestor's metrics; a scrape that times out (a very busy machine) is tried again, up to 3 times. */
    private static PrometheusText ingestorMetrics(IngestorProcess ingestor) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ingestor.metrics();
            } catch (java.io.UncheckedIOException e) {
                if (attempt >= 3 || !ingestor.isAlive()) {
                    throw e;
                }
            }
        }
    }

    private static void checkAlive(Stack stack) {
        if (!stack.job.isAlive()) {
            throw new IllegalStateException(
                    "the " + stack.name() + " exited; its log ends with:\n" + stack.job.logTail(30));
        }
        if (!stack.kafka.isRunning()) {
            throw new IllegalStateException("Kafka exited; see " + stack.kafka.logFile());
        }
    }

    // ---------------------------------------------------------------- results

    /** Percentiles (nearest rank) of latencies in ms; {@code lowerBound} when some samples are only lower bounds. */
    record Stats(int n, long p50, long p99, long max, boolean lowerBound) {
        static Stats of(long[] values, boolean lowerBound) {
            if (values.length == 0) {
                return new Stats(0, -1, -1, -1, lowerBound);
            }
            long[] v = values.clone();
            Arrays.sort(v);
            return new Stats(v.length, rank(v, 0.50), rank(v, 0.99), v[v.length - 1], lowerBound);
        }

        private static long rank(long[] sorted, double q) {
            int i = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        String text() {
            String ge = lowerBound ? ">=" : "";
            return n == 0
                    ? "n/a"
                    : String.format(Locale.ROOT, "p50 %s%d  p99 %s%d  max %s%d", ge, p50, ge, p99, ge, max);
        }
    }

    static final class PhaseResult {
        int rate;
        Stats e2e;
        Stats ingest;
        Stats toProducer;
        Stats toIngestor;
        double seconds;
        double deliveredPerS;
        double publishedPerS;
        double storedPerS;
        double storedThroughDrainPerS;
        long probeSentInPhase;
        int probeInKafkaInPhase;
        int probeInKafka;
        int probeStored;
        long lostInIngestor;
        long backlogAtStart;
        long backlogAtEnd;
        double meanBatch;
        double maxBatch;
        int batches;
        String load;
        String cores;
        boolean floor;

        static PhaseResult of(
                int rate,
                ProbeTracker tracker,
                long from,
                long to,
                long drainedAt,
                Counters before,
                Counters after,
                long lostInIngestor,
                List<Double> batchDurations,
                String load) {
            PhaseResult r = new PhaseResult();
            r.rate = rate;
            List<ProbeTracker.KafkaProbe> probes = tracker.probesBetween(from, to);
            long[] e2e = new long[probes.size()];
            long[] ingest = new long[probes.size()];
            long[] toProducer = new long[probes.size()];
            long[] toIngestor = new long[probes.size()];
            int stored = 0;
            for (int i = 0; i < probes.size(); i++) {
                ProbeTracker.KafkaProbe p = probes.get(i);
                Long seen = tracker.seenInSink(p.id());
                if (seen != null) {
                    stored++;
                }
                // a row not seen by the end of the drain counts with its wait so far: a lower bound
                e2e[i] = (seen != null ? seen : drainedAt) - p.tradeMillis();
                ingest[i] = p.kafkaReadMillis() - p.tradeMillis();
                toProducer[i] = p.createTime() - p.tradeMillis();
                toIngestor[i] = p.ingestedAt() - p.tradeMillis();
            }
            r.e2e = Stats.of(e2e, stored < probes.size());
            r.ingest = Stats.of(ingest, false);
            r.toProducer = Stats.of(toProducer, false);
            r.toIngestor = Stats.of(toIngestor, false);
            r.seconds = (to - from) / 1000.0;
            r.deliveredPerS = (after.delivered - before.delivered) / r.seconds;
            r.publishedPerS = (after.published - before.published) / r.seconds;
            r.storedPerS = (after.stored - before.stored) / r.seconds;
            r.probeInKafka = probes.size();
            r.probeStored = stored;
            r.lostInIngestor = lostInIngestor;
            r.backlogAtStart = backlog(before);
            r.backlogAtEnd = backlog(after);
            r.batches = batchDurations.size();
            r.meanBatch = batchDurations.stream()
                    .mapToDouble(Double::doubleValue)
                    .average()
                    .orElse(0);
            r.maxBatch = batchDurations.stream()
                    .mapToDouble(Double::doubleValue)
                    .max()
                    .orElse(0);
            r.load = load;
            return r;
        }

        void print() {
            System.out.printf(
                    Locale.ROOT,
                    "%s %,d/s: end-to-end (sim -> %s) %s ms over %d probe trades%n",
                    tag(),
                    rate,
                    floor ? "floor query's file" : "Cassandra",
                    e2e.text(),
                    e2e.n);
            System.out.printf(
                    Locale.ROOT,
                    "%s %,d/s: ingest (sim -> readable in Kafka) %s ms; of which sim -> ingestor "
                            + "(ingested_at) p50 %d p99 %d, sim -> producer send (CreateTime) p50 %d p99 %d%n",
                    tag(),
                    rate,
                    ingest.text(),
                    toIngestor.p50,
                    toIngestor.p99,
                    toProducer.p50,
                    toProducer.p99);
            System.out.printf(
                    Locale.ROOT,
                    "%s %,d/s: delivered %,.0f trades/s, published to Kafka %,.0f/s, stored "
                            + "%,.0f/s (%s) over %.0f s, %,.0f/s over window + drain; backlog at the "
                            + "window's end %,d records (Kafka - rows written); query: %d batches seen, mean %.2f s, "
                            + "max %.2f s; load average %s%n",
                    tag(),
                    rate,
                    deliveredPerS,
                    publishedPerS,
                    storedPerS,
                    floor ? "records the floor query read" : "job rows written to Cassandra",
                    seconds,
                    storedThroughDrainPerS,
                    backlogAtEnd,
                    batches,
                    meanBatch,
                    maxBatch,
                    load);
            System.out.printf(
                    Locale.ROOT,
                    "%s %,d/s: probe trades sent in the phase %d, in Kafka %d (%d lost before Kafka); "
                            + "of the window's %d in Kafka, %d at the sink (%d lagging or lost); the ingestor counted %,d "
                            + "trades lost (buffer full) in this phase%n",
                    tag(),
                    rate,
                    probeSentInPhase,
                    probeInKafkaInPhase,
                    lostBeforeKafka(),
                    probeInKafka,
                    probeStored,
                    probeInKafka - probeStored,
                    lostInIngestor);
            System.out.printf(
                    Locale.ROOT,
                    "%s %,d/s: CPU over the window, in cores of %d: %s%n",
                    tag(),
                    rate,
                    Runtime.getRuntime().availableProcessors(),
                    cores);
        }

        String tag() {
            return floor ? "floor, rate" : "rate";
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%s%6s/s: e2e %s | ingest %s | delivered %,.0f/s published %,.0f/s stored %,.0f/s "
                            + "(%,.0f/s incl. drain) | probe trades lost before Kafka %d, lagging/lost after %d",
                    floor ? "floor " : "",
                    label(rate),
                    e2e.text(),
                    ingest.text(),
                    deliveredPerS,
                    publishedPerS,
                    storedPerS,
                    storedThroughDrainPerS,
                    lostBeforeKafka(),
                    probeInKafka - probeStored);
        }

        long lostBeforeKafka() {
            return Math.max(0, probeSentInPhase - probeInKafkaInPhase);
        }
    }

    // ---------------------------------------------------------------- helpers

    static String label(int rate) {
        return rate % 1000 == 0 ? rate / 1000 + "k" : Integer.toString(rate);
    }

    private static PrometheusText jobMetrics(int port) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new PrometheusText(r.statusCode() == 200 ? r.body() : "");
        } catch (IOException e) {
            return new PrometheusText("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PrometheusText("");
        }
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    synchronized void stopAll() {
        Runnable stop;
        while ((stop = stops.poll()) != null) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                System.out.println("  (while stopping: " + e.getMessage() + ")");
            }
        }
        System.out.flush();
    }

    static void requireFile(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: build with ./mvnw -DskipTests -pl bench -am package");
        }
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("  (could not delete " + dir + ": " + e.getMessage() + ")");
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    }

    private static Duration seconds(String s) {
        return Duration.ofSeconds(Long.parseLong(s.replace("s", "")));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
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
