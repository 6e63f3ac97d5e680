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
import java.util.Locale;

/**
 * The engines of bench/latency and bench/capacity, fresh in a temporary work dir: Kafka with the contract's topics,
 * Cassandra with the contract's schema, a Spark master and worker. Everything started here (and every driver
 * registered with {@link #onStop}) is stopped by {@link #stopAll}, newest first, each by its own PID through the local
 * stack's handles.
 */
final class LatencyEngines {

    private final LatencyOptions o;
    private final Path work;
    private final Deque<Runnable> stops = new ArrayDeque<>();

    LatencyEngines(LatencyOptions o, String workDirPrefix) throws IOException {
        this.o = o;
        this.work = Files.createTempDirectory(workDirPrefix);
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
                cassandra.lastStartDuration().toMillis() / 1000.0,
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
                spark.masterStartDuration().toMillis() / 1000.0,
                spark.workerStartDuration().toMillis() / 1000.0,
                spark.masterPid(),
                spark.workerPid());
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
