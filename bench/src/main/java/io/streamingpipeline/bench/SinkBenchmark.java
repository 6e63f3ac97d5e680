package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkCluster;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * bench/sink: M contract-valid trades preloaded into Kafka, then the Spark job ({@code TradesToCassandraJob}, both of
 * its queries) on the local standalone cluster until all M are in {@code spark_streaming.crypto_trades}. Ceiling in
 * the same run, same Cassandra node: the same M rows written by the Java driver itself as the connector writes them
 * (unlogged batches of one {@code (symbol, day)} partition, prepared, same consistency level), at each in-flight count
 * of a short sweep, before and after the job, each pass into its own keyspace with the same schema; the best pass is
 * the ceiling. The last line printed is the {@code RESULT} line.
 *
 * <p>Sink rate: {@code (M - rows written by the first micro-batch) / (time the counter reached M - time it first
 * moved)}, from the job's {@code trades_job_rows_written_total{sink="crypto_trades"}} polled every 100 ms, i.e. the
 * steady state after the first batch (which carries the executor's class loading, code generation, connections and
 * JIT). The rate from the job's start (its metrics endpoint answering, queries starting) is printed too.
 */
public final class SinkBenchmark {

    static final String JOB_MAIN_CLASS = "io.streamingpipeline.spark.TradesToCassandraJob";
    static final String SINK = CassandraSchema.TRADES_TABLE;
    static final String INSERT =
            "INSERT INTO %s.%s (symbol, day, timestamp_unix, id, price, volume, conditions, ingested_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<List<String>> CONDITIONS =
            java.util.Arrays.asList(null, List.of(), List.of("1"), List.of("12", "37"));
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

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

    static final class Options {
        int trades = 300_000;
        long maxOffsetsPerTrigger = -1; // -1 = trades / 6, at least 10,000
        String triggerInterval = "100ms";
        int shufflePartitions = 2;
        String executorMemory = "1g";
        String driverHeap = "1g";
        String jobJvm = "";
        Map<String, String> sparkConf = new LinkedHashMap<>(DEFAULT_SPARK_CONF);
        List<Integer> ceilingInFlight = List.of(4, 16, 64, 128);
        int ceilingBatchRows = 200;
        Duration timeout = Duration.ofMinutes(15);
        Path jobJar = Path.of("spark-streaming/target/spark-streaming-job.jar");
        boolean keep;
        long seed = 42;
    }

    static final String USAGE = """
            usage: bench/sink [--trades 300000] [--max-offsets-per-trigger N (default trades/6)] [--trigger-interval 100ms]
                              [--shuffle-partitions 2] [--executor-memory 1g] [--driver-heap 1g] [--job-jvm "-X..."]
                              [--conf spark.key=value]... (--conf key= drops a default) [--ceiling-in-flight 4,16,64,128]
                              [--ceiling-batch-rows 200] [--timeout 15m] [--job-jar path] [--seed 42] [--keep]
            """;

    public static void main(String[] args) throws Exception {
        Options o = new Options();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--trades" ->
                        o.trades = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
                    case "--max-offsets-per-trigger" -> o.maxOffsetsPerTrigger = Long.parseLong(args[++i]);
                    case "--trigger-interval" -> o.triggerInterval = args[++i];
                    case "--shuffle-partitions" -> o.shufflePartitions = Integer.parseInt(args[++i]);
                    case "--executor-memory" -> o.executorMemory = args[++i];
                    case "--driver-heap" -> o.driverHeap = args[++i];
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
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (o.trades < 1
                    || o.ceilingBatchRows < 1
                    || o.ceilingInFlight.isEmpty()
                    || o.ceilingInFlight.stream().anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException(
                        "--trades, --ceiling-batch-rows and --ceiling-in-flight must be positive");
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (o.maxOffsetsPerTrigger < 0) {
            o.maxOffsetsPerTrigger = Math.max(10_000, (o.trades + 5) / 6);
        }
        if (!Files.isRegularFile(o.jobJar)) {
            System.err.println("no job jar at " + o.jobJar + ": build it (./mvnw -DskipTests -pl bench -am package)");
            System.exit(2);
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new SinkBenchmark(o).run());
    }

    private final Options o;
    private final Deque<Runnable> stops = new ArrayDeque<>();
    private Path work;

    private SinkBenchmark(Options o) {
        this.o = o;
    }

    int run() throws Exception {
        work = Files.createTempDirectory("bench-sink");
        String loadBefore = loadAverage();
        System.out.printf(
                Locale.ROOT,
                "bench/sink: %,d trades; %d cores, %s; load average %s; work dir %s%n",
                o.trades,
                Runtime.getRuntime().availableProcessors(),
                cpuModel(),
                loadBefore,
                work);
        try {
            KafkaBroker kafka = KafkaBroker.builder(work.resolve("kafka"))
                    .jvmOptions("-Xmx1g", "-XX:+UseG1GC")
                    .start();
            stops.push(kafka::stop);
            kafka.createTopics(Map.of(TradeContract.TRADES_TOPIC, 3, TradeContract.DEAD_LETTER_TOPIC, 1));
            System.out.printf(
                    Locale.ROOT, "  Kafka ready in %.1f s (pid %d)%n", seconds(kafka.lastStartDuration()), kafka.pid());
            CassandraNode cassandra =
                    CassandraNode.builder(work.resolve("cassandra")).start();
            stops.push(cassandra::stop);
            System.out.printf(
                    Locale.ROOT,
                    "  Cassandra ready in %.1f s (pid %d, -Xmx512m, commitlog_sync group)%n",
                    seconds(cassandra.lastStartDuration()),
                    cassandra.pid());
            SparkCluster spark = SparkCluster.builder(work.resolve("spark")).start();
            stops.push(spark::stop);
            System.out.printf(
                    Locale.ROOT,
                    "  Spark ready (master %.1f s, worker %.1f s; worker %d cores)%n",
                    seconds(spark.masterStartDuration()),
                    seconds(spark.workerStartDuration()),
                    spark.workerCores());

            List<Trade> trades = trades(o.trades, o.seed, IngestBenchmark.SYMBOLS);
            Set<List<String>> partitions = partitions(trades);
            preload(kafka, trades);

            try (CqlSession session = cassandra.session()) {
                List<String> keyspaces = new ArrayList<>(List.of(CassandraSchema.DEFAULT_KEYSPACE));
                for (String when : List.of("before", "after")) {
                    o.ceilingInFlight.forEach(n -> keyspaces.add(ceilingKeyspace(when, n)));
                }
                for (String ks : keyspaces) {
                    for (String statement : CassandraSchema.statements(
                            ks,
                            CassandraSchema.Replication.simple(1),
                            CassandraSchema.DEFAULT_TRADES_TTL,
                            CassandraSchema.DEFAULT_CANDLES_TTL)) {
                        session.execute(statement);
                    }
                }
                System.out.printf(
                        Locale.ROOT,
                        "  schema applied (same CQL): %s; %d (symbol, day) partitions%n",
                        keyspaces,
                        partitions.size());

                System.out.println("ceiling sweep before the job:");
                Sweep before = sweep(session, "before", trades);
                SinkRun sink = runJob(kafka, cassandra, spark);
                System.out.println("ceiling sweep after the job:");
                Sweep after = sweep(session, "after", trades);

                Pass best = before.best().rowsPerSecond >= after.best().rowsPerSecond ? before.best() : after.best();
                long stored = count(session, CassandraSchema.DEFAULT_KEYSPACE, partitions);
                long storedCeiling = count(session, best.keyspace, partitions);
                System.out.printf(
                        Locale.ROOT,
                        "check: rows in %s.%s: %,d; in %s.%s: %,d (expected %,d each)%n",
                        CassandraSchema.DEFAULT_KEYSPACE,
                        SINK,
                        stored,
                        best.keyspace,
                        SINK,
                        storedCeiling,
                        o.trades);
                if (stored != o.trades || storedCeiling != o.trades) {
                    throw new IllegalStateException("row counts differ from the trades sent");
                }

                double ceiling = best.rowsPerSecond;
                String loadAfter = loadAverage();
                System.out.printf(
                        Locale.ROOT,
                        "job: %,d trades in %s.%s: %,.0f trades/s from its first written batch "
                                + "(%,d rows over %.1f s, %d batches), %,.0f trades/s from the job's start (%.1f s); "
                                + "candle rows %,.0f, rejected %,.0f%n",
                        o.trades,
                        CassandraSchema.DEFAULT_KEYSPACE,
                        SINK,
                        sink.steadyRate(),
                        sink.steadyRows(),
                        sink.steadySeconds(),
                        sink.batches,
                        sink.fromStartRate(),
                        sink.fromStartSeconds(),
                        sink.candles,
                        sink.rejected);
                System.out.printf(
                        Locale.ROOT,
                        "ceiling: Java driver, unlogged batches of <= %d rows of one partition, "
                                + "LOCAL_QUORUM; rows/s by batches in flight: before the job %s, after %s; best %,.0f rows/s "
                                + "(%d in flight, %s the job)%n",
                        o.ceilingBatchRows,
                        text(before),
                        text(after),
                        ceiling,
                        best.inFlight,
                        before.passes.contains(best) ? "before" : "after");
                System.out.printf(Locale.ROOT, "load average: %s at start, %s at end%n", loadBefore, loadAfter);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT sink_trades_per_s=%.0f driver_ceiling_rows_per_s=%.0f ceiling_in_flight=%d "
                                + "ratio=%.2f%n",
                        sink.steadyRate(),
                        ceiling,
                        best.inFlight,
                        sink.steadyRate() / ceiling);
                return 0;
            }
        } catch (Exception e) {
            System.out.println("bench/sink FAILED: " + e.getMessage() + " (work dir " + work + ")");
            e.printStackTrace(System.out);
            o.keep = true;
            return 1;
        } finally {
            Runnable stop;
            while ((stop = stops.poll()) != null) {
                try {
                    stop.run();
                } catch (RuntimeException e) {
                    System.out.println("  (while stopping: " + e + ")");
                }
            }
            if (!o.keep) {
                deleteRecursively(work);
            }
        }
    }

    // ------------------------------------------------------------------ the trades

    /**
     * {@code n} contract-valid trades over {@code symbols}, trade times in order over the last ten minutes (a feed's
     * order), UUIDv7 ids generated now (as the ingestor assigns them), every kind of conditions.
     */
    static List<Trade> trades(int n, long seed, List<String> symbols) {
        Random random = new Random(seed);
        TimeBasedEpochGenerator uuid = Generators.timeBasedEpochGenerator();
        long end = System.currentTimeMillis() - 60_000;
        long span = 600_000;
        List<Trade> trades = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long time = end - span + (long) ((double) i / n * span);
            String symbol = symbols.get(random.nextInt(symbols.size()));
            double price = 100 + random.nextDouble() * 50_000;
            double volume = random.nextDouble() * 3;
            trades.add(new Trade(
                    uuid.generate(),
                    symbol,
                    price,
                    volume,
                    time,
                    CONDITIONS.get(random.nextInt(CONDITIONS.size())),
                    time + 5 + random.nextInt(200)));
        }
        return trades;
    }

    static String day(long timestampUnix) {
        return LocalDate.ofEpochDay(Math.floorDiv(timestampUnix, 86_400_000L)).toString();
    }

    static Set<List<String>> partitions(List<Trade> trades) {
        Set<List<String>> partitions = new LinkedHashSet<>();
        for (Trade t : trades) {
            partitions.add(List.of(t.symbol(), day(t.timestampUnix())));
        }
        return partitions;
    }

    /** Sends every trade as the ingestor does (contract JSON, key = symbol, acks=all, idempotence, lz4). */
    void preload(KafkaBroker kafka, List<Trade> trades) throws InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "67108864");
        long t0 = System.nanoTime();
        AtomicReference<Exception> error = new AtomicReference<>();
        AtomicLong acked = new AtomicLong();
        long bytes = 0;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Trade t : trades) {
                String json = json(t);
                bytes += json.length();
                producer.send(new ProducerRecord<>(TradeContract.TRADES_TOPIC, t.symbol(), json), (md, e) -> {
                    if (e != null) {
                        error.compareAndSet(null, e);
                    } else {
                        acked.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (error.get() != null || acked.get() != trades.size()) {
            throw new IllegalStateException(
                    "preload: " + acked.get() + " of " + trades.size() + " acknowledged", error.get());
        }
        long inTopic = kafka.endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                .mapToLong(Long::longValue)
                .sum();
        System.out.printf(
                Locale.ROOT,
                "preload: %,d trades (%d bytes of JSON on average) in %s in %.1f s; end offsets sum %,d%n",
                trades.size(),
                bytes / trades.size(),
                TradeContract.TRADES_TOPIC,
                (System.nanoTime() - t0) / 1e9,
                inTopic);
        if (inTopic != trades.size()) {
            throw new IllegalStateException("topic holds " + inTopic + " records, expected " + trades.size());
        }
    }

    static String json(Trade trade) {
        try {
            return JSON.writeValueAsString(trade);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the baseline

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
    Sweep sweep(CqlSession session, String when, List<Trade> trades) throws InterruptedException {
        List<Pass> passes = new ArrayList<>();
        boolean warm = false;
        for (int inFlight : o.ceilingInFlight) {
            String keyspace = ceilingKeyspace(when, inFlight);
            PreparedStatement insert = session.prepare(String.format(Locale.ROOT, INSERT, keyspace, SINK));
            if (!warm) {
                writeAll(
                        session,
                        insert,
                        trades.subList(0, Math.min(30_000, Math.max(1, trades.size() / 10))),
                        inFlight);
                warm = true;
            }
            long t0 = System.nanoTime();
            long retried = writeAll(session, insert, trades, inFlight);
            double secs = (System.nanoTime() - t0) / 1e9;
            Pass pass = new Pass(keyspace, inFlight, trades.size() / secs, retried);
            passes.add(pass);
            System.out.printf(
                    Locale.ROOT,
                    "  ceiling %s: %,d rows in %.1f s = %,.0f rows/s (batches of <= %d rows of one "
                            + "partition, %d batches in flight, %d batches retried); load %s%n",
                    keyspace,
                    trades.size(),
                    secs,
                    pass.rowsPerSecond,
                    o.ceilingBatchRows,
                    inFlight,
                    retried,
                    loadAverage());
        }
        return new Sweep(passes);
    }

    /** Rows grouped by {@code (symbol, day)} partition, in their order, cut into batches of at most {@code rows}. */
    static List<List<Trade>> partitionBatches(List<Trade> trades, int rows) {
        Map<List<String>, List<Trade>> byPartition = new LinkedHashMap<>();
        for (Trade t : trades) {
            byPartition
                    .computeIfAbsent(List.of(t.symbol(), day(t.timestampUnix())), k -> new ArrayList<>())
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
        Semaphore inFlight = new Semaphore(inFlightCount);
        ConcurrentLinkedQueue<BatchStatement> failed = new ConcurrentLinkedQueue<>();
        for (List<Trade> rows : partitionBatches(trades, o.ceilingBatchRows)) {
            BatchStatementBuilder batch = BatchStatement.builder(DefaultBatchType.UNLOGGED)
                    .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM);
            for (Trade t : rows) {
                batch.addStatement(bind(insert, t));
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

    /** One row; a null column stays unset (no tombstone), as the job writes it. */
    private static BoundStatement bind(PreparedStatement insert, Trade t) {
        BoundStatementBuilder row = insert.boundStatementBuilder(
                t.symbol(), day(t.timestampUnix()), t.timestampUnix(), t.id(), t.price(), t.volume());
        if (t.conditions() != null) {
            row.setList(6, t.conditions(), String.class);
        } else {
            row.unset(6);
        }
        return row.setLong(7, t.ingestedAt()).build();
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

    // ------------------------------------------------------------------ the job

    record SinkRun(
            long submitNanos,
            long liveNanos,
            long firstNanos,
            long firstRows,
            long doneNanos,
            long total,
            int batches,
            double candles,
            double rejected) {
        long steadyRows() {
            return total - firstRows;
        }

        double steadySeconds() {
            return (doneNanos - firstNanos) / 1e9;
        }

        /** From the first written batch; falls back to the rate from the job's start when one batch wrote everything. */
        double steadyRate() {
            return steadyRows() > 0 ? steadyRows() / steadySeconds() : fromStartRate();
        }

        double fromStartSeconds() {
            return (doneNanos - liveNanos) / 1e9;
        }

        double fromStartRate() {
            return total / fromStartSeconds();
        }
    }

    SinkRun runJob(KafkaBroker kafka, CassandraNode cassandra, SparkCluster spark)
            throws IOException, InterruptedException {
        Path passwordFile = work.resolve("cassandra-password");
        Files.writeString(passwordFile, cassandra.password() + "\n");
        int healthPort = FreePorts.pick();
        SparkSubmission.Builder submission = SparkSubmission.builder(JOB_MAIN_CLASS, o.jobJar.toAbsolutePath())
                .name("sink-bench")
                .logFile(work.resolve("spark-driver.log"))
                .driverHeap(o.driverHeap)
                .executorMemory(o.executorMemory)
                .conf("spark.sql.shuffle.partitions", Integer.toString(o.shufflePartitions));
        o.sparkConf.forEach(submission::conf);
        if (!o.jobJvm.isBlank()) {
            submission
                    .driverJvmOptions(o.jobJvm.trim().split("\\s+"))
                    .conf("spark.executor.extraJavaOptions", o.jobJvm.trim());
        }
        List<String> jobArgs = List.of(
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--checkpoint-location",
                work.resolve("checkpoints").toUri().toString(),
                "--starting-offsets",
                "earliest",
                "--max-offsets-per-trigger",
                Long.toString(o.maxOffsetsPerTrigger),
                "--trigger-interval",
                o.triggerInterval,
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
                "--health-port",
                Integer.toString(healthPort),
                "--health-bind-address",
                "127.0.0.1");
        submission.args(jobArgs);
        SparkSubmission built = submission.build();
        System.out.printf(
                Locale.ROOT,
                "job settings: max-offsets-per-trigger %,d, trigger-interval %s, driver -Xmx%s, executor memory %s "
                        + "(worker: %d cores), %s%s; %s%n",
                o.maxOffsetsPerTrigger,
                o.triggerInterval,
                o.driverHeap,
                o.executorMemory,
                spark.workerCores(),
                built.conf().entrySet().stream()
                        .filter(e -> !e.getKey().endsWith("extraJavaOptions"))
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList(),
                o.jobJvm.isBlank() ? "" : ", JVM " + o.jobJvm,
                CONNECTOR_DEFAULTS);

        long submitted = System.nanoTime();
        SparkDriver driver = spark.submit(built);
        try {
            long deadline = submitted + o.timeout.toNanos();
            long live = -1;
            long first = -1;
            long firstRows = 0;
            long lastWritten = 0;
            int batches = 0;
            PrometheusText metrics = null;
            while (true) {
                if (!driver.isAlive()) {
                    throw new IllegalStateException("the Spark job exited; its log ends with:\n" + driver.logTail(40));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all trades written within " + o.timeout + " (" + lastWritten
                            + " of " + o.trades + "); the job's log ends with:\n" + driver.logTail(40));
                }
                String text = get(healthPort, "/metrics");
                long now = System.nanoTime();
                if (text != null) {
                    metrics = new PrometheusText(text);
                    if (live < 0) {
                        live = now;
                        System.out.printf(
                                Locale.ROOT,
                                "  job up (metrics answer) %.1f s after submit (driver pid %d)%n",
                                (live - submitted) / 1e9,
                                driver.pid());
                    }
                    long written = (long) metrics.value("trades_job_rows_written_total", "sink", SINK);
                    if (written > lastWritten) {
                        batches++;
                        if (first < 0) {
                            first = now;
                            firstRows = written;
                        }
                        System.out.printf(
                                Locale.ROOT,
                                "  +%5.1f s: %,9d trades written; load %s%n",
                                (now - live) / 1e9,
                                written,
                                loadAverage());
                        lastWritten = written;
                    }
                    if (written >= o.trades) {
                        SinkRun run = new SinkRun(
                                submitted,
                                live,
                                first,
                                firstRows,
                                now,
                                written,
                                batches,
                                metrics.value("trades_job_rows_written_total", "sink", CassandraSchema.CANDLES_TABLE),
                                metrics.value("trades_job_rejected_total"));
                        System.out.printf(
                                Locale.ROOT,
                                "  all %,d trades written %.1f s after the job came up, %.1f s after the first batch%n",
                                written,
                                run.fromStartSeconds(),
                                run.steadySeconds());
                        return run;
                    }
                }
                Thread.sleep(100);
            }
        } finally {
            driver.stop(Duration.ofSeconds(60));
        }
    }

    static String get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    // ------------------------------------------------------------------ helpers

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static long seconds(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("m")) {
            return Long.parseLong(t.substring(0, t.length() - 1)) * 60;
        }
        return Long.parseLong(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.out.println("  (could not delete " + dir + ": " + e.getMessage() + ")");
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
