package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.spark.SparkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * bench/sink: W + M contract-valid trades preloaded into Kafka, then the Spark job ({@code TradesToCassandraJob}) on
 * the local standalone cluster until all are in {@code spark_streaming.crypto_trades}, measured over the last M after
 * the W of its warm-up. Ceiling in the same run, same Cassandra node: the same M rows written by the Java driver itself
 * as the connector writes them (unlogged batches of one {@code (symbol, day)} partition, prepared, same consistency
 * level), at each in-flight count of a short sweep, before and after the job, each pass into its own keyspace with
 * the same schema; the best pass is the ceiling. Each phase prints the CPU of each process and the requests the node
 * served. The last line printed is the {@code RESULT} line.
 *
 * <p>Sink rate: {@code (W + M - rows written when the counter first reached W) / (time it reached W + M - that
 * time)}, from the job's {@code trades_job_rows_written_total{sink="crypto_trades"}} polled every 100 ms: the steady
 * state after the warm-up (the executor's and driver's class loading, code generation, connections and JIT). The rate
 * from the job's start (its metrics endpoint answering, queries starting) is printed too.
 */
public final class SinkBenchmark {

    /** The label of the Cassandra node's CPU ({@link ProcessCpu}). */
    static final String CASSANDRA = "Cassandra";

    public static void main(String[] args) throws Exception {
        SinkOptions o;
        try {
            o = SinkOptions.parse(args);
            if (o == null) {
                return;
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.print(SinkOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(o.jobJar)) {
            System.err.println("no job jar at " + o.jobJar + ": build it (./mvnw -DskipTests -pl bench -am package)");
            System.exit(2);
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new SinkBenchmark(o).run());
    }

    private final SinkOptions o;

    private SinkBenchmark(SinkOptions o) {
        this.o = o;
    }

    int run() throws Exception {
        BenchEngines engines = new BenchEngines("bench-sink", o.cassandraHeap, o.cassandraYaml, o.workerCores);
        Path work = engines.work();
        String loadBefore = Machine.loadAverages();
        System.out.printf(
                Locale.ROOT,
                "bench/sink: %,d trades measured after %,d of warm-up; %d cores, %s; load average %s; work dir %s%n",
                o.trades,
                o.warmupTrades,
                Runtime.getRuntime().availableProcessors(),
                Machine.cpuModel(),
                loadBefore,
                work);
        List<String> keyspaces = new ArrayList<>(List.of(CassandraSchema.DEFAULT_KEYSPACE));
        for (String when : List.of("before", "after")) {
            o.ceilingInFlight.forEach(n -> keyspaces.add(DriverCeiling.ceilingKeyspace(when, n)));
        }
        try {
            CassandraNode cassandra;
            if (o.pinning != null) {
                // the node starts on its CPUs (its JVM sizes its thread pools by them), the rest on the others
                System.out.println("  CPUs: " + o.pinning.describe());
                o.pinning.pinThisProcessTo(o.pinning.cassandra());
                cassandra = engines.startCassandra(keyspaces);
                o.pinning.pinThisProcessTo(o.pinning.others());
                o.pinning.pin(cassandra.pid(), o.pinning.cassandra());
            } else {
                cassandra = engines.startCassandra(keyspaces);
            }
            KafkaBroker kafka = engines.startKafka();
            SparkCluster spark = engines.startSpark();
            // the job's driver is added by SinkJob once it is submitted
            ProcessCpu cpu = new ProcessCpu()
                    .add(CASSANDRA, cassandra.pid())
                    .add("Kafka", kafka.pid())
                    .addDescendants("executor", spark.workerPid())
                    .addCurrent("benchmark");

            List<Trade> all = SinkTrades.trades(o.warmupTrades + o.trades, o.seed, IngestBenchmark.SYMBOLS);
            // the job writes all of them and is measured over the last o.trades; the ceiling writes those
            List<Trade> trades = all.subList(o.warmupTrades, all.size());
            Set<List<String>> partitions = SinkTrades.partitions(all);
            SinkTrades.preload(kafka, all);

            DriverCeiling driverCeiling = new DriverCeiling(o);
            try (CqlSession session = cassandra.session()) {
                System.out.printf(Locale.ROOT, "  %d (symbol, day) partitions%n", partitions.size());

                System.out.println("ceiling sweep before the job:");
                DriverCeiling.Sweep before = driverCeiling.sweep(session, "before", trades, cpu);
                SinkRun sink = new SinkJob(o, work).run(kafka, cassandra, spark, cpu, session);
                System.out.println("ceiling sweep after the job:");
                DriverCeiling.Sweep after = driverCeiling.sweep(session, "after", trades, cpu);

                DriverCeiling.Pass best =
                        before.best().rowsPerSecond() >= after.best().rowsPerSecond() ? before.best() : after.best();
                long stored = DriverCeiling.count(session, CassandraSchema.DEFAULT_KEYSPACE, partitions);
                long storedCeiling = DriverCeiling.count(session, best.keyspace(), partitions);
                System.out.printf(
                        Locale.ROOT,
                        "check: rows in %s.%s: %,d (expected %,d); in %s.%s: %,d (expected %,d)%n",
                        CassandraSchema.DEFAULT_KEYSPACE,
                        DriverCeiling.SINK,
                        stored,
                        all.size(),
                        best.keyspace(),
                        DriverCeiling.SINK,
                        storedCeiling,
                        o.trades);
                if (stored != all.size() || storedCeiling != o.trades) {
                    throw new IllegalStateException("row counts differ from the trades sent");
                }

                double ceiling = best.rowsPerSecond();
                String loadAfter = Machine.loadAverages();
                System.out.printf(
                        Locale.ROOT,
                        "job: %,d trades in %s.%s: %,.0f trades/s after the warm-up "
                                + "(%,d rows over %.1f s, %d batches), %,.0f trades/s from the job's start (%.1f s); "
                                + "candle rows %,.0f, rejected %,.0f%n",
                        all.size(),
                        CassandraSchema.DEFAULT_KEYSPACE,
                        DriverCeiling.SINK,
                        sink.steadyRate(),
                        sink.steadyRows(),
                        sink.steadySeconds(),
                        sink.batches(),
                        sink.fromStartRate(),
                        sink.fromStartSeconds(),
                        sink.candles(),
                        sink.rejected());
                System.out.printf(
                        Locale.ROOT,
                        "ceiling: Java driver, unlogged batches of <= %d rows of one partition, "
                                + "LOCAL_QUORUM; rows/s by batches in flight: before the job %s, after %s; best %,.0f rows/s "
                                + "(%d in flight, %s the job)%n",
                        o.ceilingBatchRows,
                        DriverCeiling.text(before),
                        DriverCeiling.text(after),
                        ceiling,
                        best.inFlight(),
                        before.passes().contains(best) ? "before" : "after");
                System.out.printf(Locale.ROOT, "load average: %s at start, %s at end%n", loadBefore, loadAfter);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT sink_trades_per_s=%.0f driver_ceiling_rows_per_s=%.0f ceiling_in_flight=%d "
                                + "ratio=%.2f cassandra_cpus=%s%n",
                        sink.steadyRate(),
                        ceiling,
                        best.inFlight(),
                        sink.steadyRate() / ceiling,
                        o.pinning == null ? "shared" : CpuPinning.text(o.pinning.cassandra()));
                return 0;
            }
        } catch (Exception e) {
            System.out.println("bench/sink FAILED: " + e.getMessage() + " (work dir " + work + ")");
            e.printStackTrace(System.out);
            o.keep = true;
            return 1;
        } finally {
            engines.stopAll();
            if (!o.keep) {
                engines.deleteWorkDir();
            }
        }
    }
}
