package io.streamingpipeline.bench;

import io.streamingpipeline.localstack.cassandra.CassandraNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** bench/latency's settings (also bench/capacity's), all overridable by flags. */
final class LatencyOptions {
    List<Integer> rates = List.of(1_000, 20_000);
    Duration duration = Duration.ofSeconds(60);
    Duration warmup = Duration.ofSeconds(120);
    Duration drainTimeout = Duration.ofSeconds(120);
    int probeRate = 20;
    long pollMillis = 20;
    String triggerInterval = "100ms";
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
    Map<String, String> cassandraYaml = new LinkedHashMap<>();
    String jobJvm = "";
    Map<String, String> sparkConf = new LinkedHashMap<>();
    boolean keep;

    static final String USAGE = """
            usage: bench/latency [options]
              --rates 1000,20000          trades/s of each phase, in order (load symbols + the probe symbol)
              --duration 60               seconds measured per rate
              --warmup 120                seconds per rate before measuring (JIT: a fresh job's batches shorten for ~2 min)
              --catch-up-timeout 180      seconds to wait after the warm-up for the job to be <= 2 s of input behind Kafka
              --drain-timeout 120         seconds to wait after a phase for its probe rows (and the job's catch-up)
              --probe-rate 20             trades/s of the probe symbol (part of the rate)
              --poll-ms 20                Cassandra poll interval for the probe rows
              --trigger-interval 100ms    the job's micro-batch trigger
              --worker-cores N            task slots the Spark worker offers; default as ./pipeline run: 2 per core
              --max-offsets-per-trigger 50000
              --shuffle-partitions 2      spark.sql.shuffle.partitions of the job
              --linger-ms 5               the ingestor's producer linger.ms (MP_MESSAGING_OUTGOING_TRADES_LINGER_MS)
              --spark-conf key=value      extra Spark conf for the job (repeatable)
              --job-jvm "-XX:..."         extra JVM options of the job's driver and executor
              --ingestor-jvm "-Xmx512m"   JVM options of the ingestor
              --cassandra-heap 2g         -Xmx of the Cassandra node (its memtables get a quarter of it); default as ./pipeline run
              --cassandra-yaml key=value  a cassandra.yaml setting over the local stack's (repeatable)
              --floor-rates 1000,20000    rates of the floor query's phases after the job's (default: --rates; "none" skips)
              --keep                      keep the temporary work dir (logs) at the end
            """;

    /** Sets {@code o} from bench/latency's flags. */
    static void parse(String[] args, LatencyOptions o) {
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
                case "--worker-cores" -> o.workerCores = workerCores(args[++i]);
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
                case "--cassandra-yaml" -> putSetting(o.cassandraYaml, a, args[++i]);
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

    /** The packaged ingestor, the job jar and (when a floor phase runs) the floor jar; else which build makes them. */
    void requireBuilt() {
        requireFile(ingestorApp.resolve("quarkus-run.jar"));
        requireFile(jobJar);
        if (floorRates != null && !floorRates.isEmpty()) {
            requireFile(floorJar);
        }
    }

    private static void requireFile(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: build with ./mvnw -DskipTests -pl bench -am package");
        }
    }

    /** --worker-cores' value: a count of at least 1 (the default, 0, is the absence of the flag). */
    static int workerCores(String value) {
        int cores = Integer.parseInt(value.trim());
        if (cores < 1) {
            throw new IllegalArgumentException("--worker-cores must be at least 1, was " + value);
        }
        return cores;
    }

    /** {@code key=value} of {@code flag} into {@code settings}. */
    static void putSetting(Map<String, String> settings, String flag, String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq < 1 || eq == keyValue.length() - 1) {
            throw new IllegalArgumentException(flag + " needs key=value, was " + keyValue);
        }
        settings.put(keyValue.substring(0, eq), keyValue.substring(eq + 1));
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

    private static Duration seconds(String s) {
        return Duration.ofSeconds(Long.parseLong(s.replace("s", "")));
    }
}
