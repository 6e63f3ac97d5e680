package io.streamingpipeline.bench;

import io.streamingpipeline.localstack.cassandra.CassandraNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** bench/sink's settings, all overridable by flags. */
final class SinkOptions {

    /**
     * Spark conf the benchmark passes unless {@code --conf key=value} overrides it ({@code --conf key=} drops one,
     * leaving the connector's default): larger single-partition batches and more writes in flight than the connector's
     * defaults (1 KiB batches, 5 writes in flight per task): about +20 % trades/s at the same load (docs/benchmarks.md).
     */
    static final Map<String, String> DEFAULT_SPARK_CONF;

    static {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.cassandra.output.batch.grouping.key", "partition");
        conf.put("spark.cassandra.output.batch.size.rows", "200");
        conf.put("spark.cassandra.output.batch.grouping.buffer.size", "5000");
        conf.put("spark.cassandra.output.concurrent.writes", "16");
        conf.put("spark.cassandra.output.consistency.level", "LOCAL_QUORUM");
        DEFAULT_SPARK_CONF = conf;
    }

    /** What the connector (3.5) uses when the conf does not say, printed with the settings. */
    static final String CONNECTOR_DEFAULTS = "connector defaults otherwise: batch.grouping.key=partition, "
            + "batch.size.bytes=1024 (batch.size.rows=auto), batch.grouping.buffer.size=1000, concurrent.writes=5 per task";

    /** Trades the rate is measured over, after the warm-up's. */
    int trades = 600_000;
    /**
     * Trades the job writes before the measured ones, in the same run: a fresh job spends its first minutes compiling,
     * which the ceiling's warm JVM does not. After 600,000 trades (~30 s) the JIT's threads still took 45 % of the
     * driver's CPU and 29 % of the executor's in the measured window; after 2,400,000 (60–80 s), 39–43 % and 11–29 %.
     */
    int warmupTrades = 2_400_000;

    /** Task slots of the Spark worker; 0: as {@code ./pipeline run}, two per core. */
    int workerCores;

    long maxOffsetsPerTrigger = 50_000;
    String triggerInterval = "100ms";
    int shufflePartitions = 2;
    String executorMemory = "1g";
    String driverHeap = "1g";
    /** As {@code ./pipeline run} and bench/latency: with 512m the node flushes and compacts several times a pass. */
    String cassandraHeap = CassandraNode.PIPELINE_HEAP;
    /** {@code cassandra.yaml} settings over the local stack's ({@code --cassandra-yaml key=value}). */
    Map<String, String> cassandraYaml = new LinkedHashMap<>();
    /** {@code --cassandra-cpus}: the node on these CPUs, every other process on the rest; null: all share them all. */
    CpuPinning pinning;

    String jobJvm = "";
    Map<String, String> sparkConf = new LinkedHashMap<>(DEFAULT_SPARK_CONF);
    List<Integer> ceilingInFlight = List.of(8, 16, 32, 64);
    int ceilingBatchRows = 200;
    Duration timeout = Duration.ofMinutes(15);
    Path jobJar = Path.of("spark-streaming/target/spark-streaming-job.jar");
    boolean keep;
    long seed = 42;

    static final String USAGE = """
            usage: bench/sink [--trades 600000] [--warmup-trades 2400000] [--max-offsets-per-trigger 50000]
                              [--trigger-interval 100ms] [--worker-cores N] (default as ./pipeline run: 2 per core)
                              [--shuffle-partitions 2] [--executor-memory 1g] [--driver-heap 1g] [--job-jvm "-X..."]
                              [--cassandra-heap 2g] [--cassandra-yaml key=value]... (a cassandra.yaml setting)
                              [--cassandra-cpus 1] (the node on these CPUs, every other process on the rest)
                              [--conf spark.key=value]... (--conf key= drops a default) [--ceiling-in-flight 8,16,32,64]
                              [--ceiling-batch-rows 200] [--timeout 15m] [--job-jar path] [--seed 42] [--keep]
            """;

    /** {@code o} from bench/sink's flags; {@code null} after {@code --help} (the usage is printed). */
    static SinkOptions parse(String[] args) {
        SinkOptions o = new SinkOptions();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trades" ->
                    o.trades = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
                case "--warmup-trades" ->
                    o.warmupTrades = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
                case "--worker-cores" -> o.workerCores = LatencyOptions.workerCores(args[++i]);
                case "--max-offsets-per-trigger" -> o.maxOffsetsPerTrigger = Long.parseLong(args[++i]);
                case "--trigger-interval" -> o.triggerInterval = args[++i];
                case "--shuffle-partitions" -> o.shufflePartitions = Integer.parseInt(args[++i]);
                case "--executor-memory" -> o.executorMemory = args[++i];
                case "--driver-heap" -> o.driverHeap = args[++i];
                case "--cassandra-heap" -> o.cassandraHeap = args[++i];
                case "--cassandra-yaml" -> LatencyOptions.putSetting(o.cassandraYaml, "--cassandra-yaml", args[++i]);
                case "--cassandra-cpus" -> o.pinning = CpuPinning.cassandraOn(args[++i]);
                case "--job-jvm" -> o.jobJvm = args[++i];
                case "--conf" -> {
                    String kv = args[++i];
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--conf needs key=value, was " + kv);
                    }
                    if (eq == kv.length() - 1) {
                        o.sparkConf.remove(kv.substring(0, eq));
                    } else {
                        o.sparkConf.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
                case "--ceiling-in-flight" ->
                    o.ceilingInFlight = java.util.Arrays.stream(args[++i].split(","))
                            .map(String::trim)
                            .map(Integer::parseInt)
                            .toList();
                case "--ceiling-batch-rows" -> o.ceilingBatchRows = Integer.parseInt(args[++i]);
                case "--timeout" -> o.timeout = Duration.ofSeconds(seconds(args[++i]));
                case "--job-jar" -> o.jobJar = Path.of(args[++i]);
                case "--seed" -> o.seed = Long.parseLong(args[++i]);
                case "--keep" -> o.keep = true;
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return null;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (o.warmupTrades < 0) {
            throw new IllegalArgumentException("--warmup-trades must be 0 or more");
        }
        if (o.trades < 1
                || o.maxOffsetsPerTrigger < 1
                || o.ceilingBatchRows < 1
                || o.ceilingInFlight.isEmpty()
                || o.ceilingInFlight.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException(
                    "--trades, --max-offsets-per-trigger, --ceiling-batch-rows and --ceiling-in-flight must be positive");
        }
        return o;
    }

    static long seconds(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("m")) {
            return Long.parseLong(t.substring(0, t.length() - 1)) * 60;
        }
        return Long.parseLong(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
    }
}
