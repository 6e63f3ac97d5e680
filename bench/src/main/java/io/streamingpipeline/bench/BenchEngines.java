package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.spark.SparkCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engines of bench/latency, bench/capacity and bench/sink, fresh in a temporary work dir: Kafka with the contract's
 * topics, Cassandra with the contract's schema, a Spark master and worker. Everything started here (and every driver
 * registered with {@link #onStop}) is stopped by {@link #stopAll}, newest first, each by its own PID through the local
 * stack's handles.
 */
final class BenchEngines {

    private final Path work;
    private final String cassandraHeap;
    private final int workerCores;
    private final Map<String, String> cassandraYaml;
    private final Deque<Runnable> stops = new ArrayDeque<>();

    BenchEngines(LatencyOptions o, String workDirPrefix) throws IOException {
        this(workDirPrefix, o.cassandraHeap, o.cassandraYaml, o.workerCores);
    }

    /**
     * @param cassandraHeap the node's {@code -Xmx}
     * @param cassandraYaml {@code cassandra.yaml} settings over the local stack's
     * @param workerCores   the Spark worker's cores; 0 for {@link SparkCluster.Builder#workerCoresForPipeline()}
     */
    BenchEngines(String workDirPrefix, String cassandraHeap, Map<String, String> cassandraYaml, int workerCores)
            throws IOException {
        this.work = Files.createTempDirectory(workDirPrefix);
        this.cassandraHeap = cassandraHeap;
        this.cassandraYaml = Map.copyOf(cassandraYaml);
        this.workerCores = workerCores;
    }

    Path work() {
        return work;
    }

    /** Runs {@code stop} in {@link #stopAll}, before what was registered earlier. */
    void onStop(Runnable stop) {
        stops.push(stop);
    }

    KafkaBroker startKafka() {
        KafkaBroker kafka = KafkaBroker.builder(work.resolve("kafka"))
                .jvmOptions("-Xmx1g", "-XX:+UseG1GC")
                .start();
        stops.push(kafka::stop);
        kafka.createTopics(Topic.defaultPartitionsByName());
        System.out.printf(
                Locale.ROOT,
                "  Kafka ready in %.1f s (pid %d)%n",
                kafka.lastStartDuration().toMillis() / 1000.0,
                kafka.pid());
        return kafka;
    }

    /** Cassandra with the contract's schema in its default keyspace. */
    CassandraNode startCassandra() {
        return startCassandra(List.of(CassandraSchema.DEFAULT_KEYSPACE));
    }

    /** Cassandra with the contract's schema in each of {@code keyspaces}. */
    CassandraNode startCassandra(List<String> keyspaces) {
        CassandraNode.Builder builder =
                CassandraNode.builder(work.resolve("cassandra")).heap(cassandraHeap);
        cassandraYaml.forEach(builder::yamlSetting);
        CassandraNode cassandra = builder.start();
        stops.push(cassandra::stop);
        try (CqlSession session = cassandra.session()) {
            for (String keyspace : keyspaces) {
                for (String statement : CassandraSchema.statements(
                        keyspace,
                        CassandraSchema.Replication.simple(1),
                        CassandraSchema.DEFAULT_TRADES_TTL,
                        CassandraSchema.DEFAULT_CANDLES_TTL)) {
                    session.execute(statement);
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  Cassandra ready in %.1f s (pid %d, -Xmx%s, commitlog_sync group%s), schema applied to %s%n",
                cassandra.lastStartDuration().toMillis() / 1000.0,
                cassandra.pid(),
                cassandraHeap,
                cassandraYaml.isEmpty() ? "" : ", " + cassandraYaml,
                keyspaces);
        return cassandra;
    }

    SparkCluster startSpark() {
        SparkCluster.Builder builder = SparkCluster.builder(work.resolve("spark"));
        SparkCluster spark =
                (workerCores > 0 ? builder.workerCores(workerCores) : builder.workerCoresForPipeline()).start();
        stops.push(spark::stop);
        System.out.printf(
                Locale.ROOT,
                "  Spark ready (master %.1f s, worker %.1f s, pids %d, %d; worker %d cores)%n",
                spark.masterStartDuration().toMillis() / 1000.0,
                spark.workerStartDuration().toMillis() / 1000.0,
                spark.masterPid(),
                spark.workerPid(),
                spark.workerCores());
        return spark;
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

    void deleteWorkDir() {
        try (var walk = Files.walk(work)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("  (could not delete " + work + ": " + e.getMessage() + ")");
        }
    }
}
