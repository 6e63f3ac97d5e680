package io.streamingpipeline.it;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.cassandra.SharedCassandra;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.kafka.SharedKafka;
import io.streamingpipeline.localstack.spark.SharedSpark;
import io.streamingpipeline.localstack.spark.SparkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The engines of this test JVM, shared by every test class: one Kafka broker, one Cassandra node and one Spark
 * standalone cluster from local-stack, started in parallel on the first {@link #get()} and stopped when the JVM exits.
 * Tests keep apart by their own topics, keyspaces and checkpoints, and stop their drivers (the worker's 2 cores go to
 * one application at a time).
 */
final class PipelineStack {

    private static PipelineStack stack;

    final KafkaBroker kafka;
    final CassandraNode cassandra;
    final SparkCluster spark;
    final long startMillis;

    private PipelineStack(KafkaBroker kafka, CassandraNode cassandra, SparkCluster spark, long startMillis) {
        this.kafka = kafka;
        this.cassandra = cassandra;
        this.spark = spark;
        this.startMillis = startMillis;
    }

    static synchronized PipelineStack get() {
        if (stack == null) {
            long started = System.nanoTime();
            CompletableFuture<CassandraNode> cassandra = CompletableFuture.supplyAsync(SharedCassandra::get);
            CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(SharedKafka::get);
            CompletableFuture<SparkCluster> spark = CompletableFuture.supplyAsync(SharedSpark::get);
            try {
                stack = new PipelineStack(
                        kafka.join(), cassandra.join(), spark.join(), (System.nanoTime() - started) / 1_000_000);
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            System.out.printf(
                    "[stack] Kafka %s (%d ms), Cassandra %s (%d ms), Spark %s (master %d ms + worker %d ms);"
                            + " all ready after %d ms in parallel%n",
                    stack.kafka.bootstrapServers(),
                    stack.kafka.lastStartDuration().toMillis(),
                    stack.cassandra.contactPoint(),
                    stack.cassandra.lastStartDuration().toMillis(),
                    stack.spark.masterUrl(),
                    stack.spark.masterStartDuration().toMillis(),
                    stack.spark.workerStartDuration().toMillis(),
                    stack.startMillis);
        }
        return stack;
    }

    /** The job under test: spark-streaming's shaded jar (path from the pom's {@code pipeline.job.jar}). */
    static Path jobJar() {
        String path = System.getProperty("pipeline.job.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("The Spark job's jar is missing (" + path + "): build it with "
                    + "`./mvnw -pl spark-streaming -am package -DskipTests` or run this module in the reactor.");
        }
        return Path.of(path);
    }

    /** The pipeline's topics under a test's own names, with the partitions the contract declares for them. */
    static void createTopics(KafkaBroker kafka, String trades, String deadLetters) {
        kafka.createTopics(Map.of(trades, Topic.TRADES.partitions(), deadLetters, Topic.DEAD_LETTERS.partitions()));
    }

    /** Resident memory of a process in MiB (Linux), -1 if unknown. */
    static long rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // not Linux, or gone
        }
        return -1;
    }
}
