package io.streamingpipeline.it;

import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.pipeline.TradesJobLaunch;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Submits the streaming job (the shaded jar of spark-streaming, launched by local-stack's {@link TradesJobLaunch}) to
 * the shared cluster, wired to the shared Kafka and Cassandra, with test-sized settings: 1 s trigger (system property
 * {@value #TRIGGER_PROPERTY} to run the tests with another, e.g. the job's default), 2 shuffle partitions, the health
 * endpoint on a free port of 127.0.0.1.
 */
final class TradesJob {

    static final String TRIGGER_PROPERTY = "pipeline.it.trigger-interval";

    private final String name;
    private final String topic;
    private final String deadLetterTopic;
    private final String keyspace;
    private final Path checkpoint;
    private final Path workDir;
    private final int healthPort = FreePorts.pick();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Engines of this job; null = the shared ones of {@link PipelineStack}. */
    private final KafkaBroker kafka;

    private final CassandraNode cassandra;

    /**
     * @param workDir for the checkpoint ({@code <workDir>/checkpoint}) and the password file
     */
    TradesJob(String name, String topic, String deadLetterTopic, String keyspace, Path workDir) {
        this(name, topic, deadLetterTopic, keyspace, workDir, null, null);
    }

    /**
     * The job wired to its own broker and node (fault tests that stop them); null = the shared one. The Spark
     * cluster is always the shared one.
     */
    TradesJob(
            String name,
            String topic,
            String deadLetterTopic,
            String keyspace,
            Path workDir,
            KafkaBroker kafka,
            CassandraNode cassandra) {
        this.kafka = kafka;
        this.cassandra = cassandra;
        this.name = name;
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.keyspace = keyspace;
        this.workDir = workDir;
        this.checkpoint = workDir.resolve("checkpoint");
    }

    /** Starts the streaming job (returns at once; the driver then needs ~20 s to its first batch). */
    SparkDriver submit() {
        return submit(List.of(), 0);
    }

    /** Like {@link #submit()}, with {@code --fail-on-data-loss false}: records Kafka no longer holds are skipped. */
    SparkDriver submitSkippingLostRecords() {
        return submit(List.of(), 0, false);
    }

    /**
     * Like {@link #submit()}, with driver JVM options (e.g. a fault injection's system property) and at most
     * {@code maxCores} cores for the application (0: all the worker offers), so that two can run at once.
     */
    SparkDriver submit(List<String> driverJvmOptions, int maxCores) {
        return submit(driverJvmOptions, maxCores, true);
    }

    private SparkDriver submit(List<String> driverJvmOptions, int maxCores, boolean failOnDataLoss) {
        TradesJobLaunch launch = cassandraLaunch();
        if (!failOnDataLoss) {
            launch.failOnDataLoss(false);
        }
        SparkSubmission.Builder submission = launch.bootstrapServers(kafka().bootstrapServers())
                .topics(topic, deadLetterTopic)
                .checkpoint(checkpoint)
                .startingOffsets("earliest")
                .triggerInterval(System.getProperty(TRIGGER_PROPERTY, "1s"))
                .health(healthPort)
                .submission(name)
                .driverJvmOptions(driverJvmOptions.toArray(String[]::new));
        if (maxCores > 0) {
            submission.maxCores(maxCores);
        }
        return PipelineStack.get().spark.submit(testSized(submission).build());
    }

    /** {@code --apply-schema} for this job's keyspace; returns the driver (it exits by itself). */
    SparkDriver applySchema() {
        SparkSubmission.Builder submission =
                cassandraLaunch().applySchema("SimpleStrategy:1").submission(name + "-schema");
        return PipelineStack.get().spark.submit(testSized(submission).build());
    }

    private static SparkSubmission.Builder testSized(SparkSubmission.Builder submission) {
        return submission
                .driverHeap("1g")
                .executorMemory("1g")
                .shufflePartitions(2)
                // short runs on 2 cores: C1 only warms up faster (less JIT work competing with the first batches)
                .jvmOptions("-XX:TieredStopAtLevel=1");
    }

    private TradesJobLaunch cassandraLaunch() {
        CassandraNode node = cassandra();
        Path passwordFile = TradesJobLaunch.writePasswordFile(node.password(), workDir.resolve("cassandra-password"));
        return TradesJobLaunch.of(PipelineStack.jobJar())
                .cassandra(node, passwordFile)
                .keyspace(keyspace);
    }

    private KafkaBroker kafka() {
        return kafka != null ? kafka : PipelineStack.get().kafka;
    }

    private CassandraNode cassandra() {
        return cassandra != null ? cassandra : PipelineStack.get().cassandra;
    }

    String name() {
        return name;
    }

    int healthPort() {
        return healthPort;
    }

    Path checkpoint() {
        return checkpoint;
    }

    /** GET {@code path} on the driver's health endpoint: status code and body; status -1 when it does not answer. */
    HttpResult get(String path) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + path))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new HttpResult(response.statusCode(), response.body());
        } catch (IOException e) {
            return new HttpResult(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HttpResult(-1, e.toString());
        }
    }

    /** The value of a Prometheus sample line {@code <nameAndLabels> <value>} of {@code /metrics}, if present. */
    OptionalDouble metric(String nameAndLabels) {
        HttpResult metrics = get("/metrics");
        if (metrics.status() != 200) {
            return OptionalDouble.empty();
        }
        return metrics.body()
                .lines()
                .filter(l -> l.startsWith(nameAndLabels + " "))
                .mapToDouble(l -> Double.parseDouble(
                        l.substring(nameAndLabels.length() + 1).trim()))
                .findFirst();
    }

    record HttpResult(int status, String body) {}
}
