package io.streamingpipeline.it;

import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Submits {@code io.streamingpipeline.spark.TradesToCassandraJob} (the shaded jar of spark-streaming) to the shared
 * cluster with spark-submit, wired to the shared Kafka and Cassandra, with test-sized settings: 1 s trigger,
 * 2 shuffle partitions, the health endpoint on a free port of 127.0.0.1.
 */
final class TradesJob {

    static final String MAIN_CLASS = "io.streamingpipeline.spark.TradesToCassandraJob";

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
    SparkDriver submit(String... extraArgs) {
        return submit(List.of(), 0, extraArgs);
    }

    /**
     * Like {@link #submit(String...)}, with driver JVM options (e.g. a fault injection's system property) and at
     * most {@code maxCores} cores for the application (0: all the worker offers), so that two can run at once.
     */
    SparkDriver submit(List<String> driverJvmOptions, int maxCores, String... extraArgs) {
        List<String> args = new ArrayList<>(commonArgs());
        args.addAll(List.of(
                "--bootstrap-servers",
                kafka().bootstrapServers(),
                "--topic",
                topic,
                "--dead-letter-topic",
                deadLetterTopic,
                "--checkpoint-location",
                checkpoint.toUri().toString(),
                "--starting-offsets",
                "earliest",
                "--trigger-interval",
                "1s",
                "--health-port",
                Integer.toString(healthPort),
                "--health-bind-address",
                "127.0.0.1"));
        args.addAll(List.of(extraArgs));
        SparkSubmission.Builder submission =
                submission(name).args(args).driverJvmOptions(driverJvmOptions.toArray(String[]::new));
        if (maxCores > 0) {
            submission.maxCores(maxCores);
        }
        return PipelineStack.get().spark.submit(submission.build());
    }

    /** {@code --apply-schema} for this job's keyspace; returns the driver (it exits by itself). */
    SparkDriver applySchema() {
        List<String> args = new ArrayList<>(commonArgs());
        args.addAll(List.of("--apply-schema", "--replication", "SimpleStrategy:1"));
        return PipelineStack.get()
                .spark
                .submit(submission(name + "-schema").args(args).build());
    }

    private SparkSubmission.Builder submission(String appName) {
        return SparkSubmission.builder(MAIN_CLASS, PipelineStack.jobJar())
                .name(appName)
                .driverHeap("1g")
                .executorMemory("1g")
                .conf("spark.sql.shuffle.partitions", "2")
                // short runs on 2 cores: C1 only warms up faster (less JIT work competing with the first batches)
                .driverJvmOptions("-XX:TieredStopAtLevel=1")
                .conf("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1");
    }

    private List<String> commonArgs() {
        var cassandra = cassandra();
        return List.of(
                "--cassandra-host",
                cassandra.host(),
                "--cassandra-port",
                Integer.toString(cassandra.port()),
                "--cassandra-local-dc",
                cassandra.datacenter(),
                "--cassandra-username",
                cassandra.username(),
                "--cassandra-password-file",
                passwordFile(cassandra.password()).toString(),
                "--keyspace",
                keyspace);
    }

    private Path passwordFile(String password) {
        Path file = workDir.resolve("cassandra-password");
        try {
            Files.createDirectories(workDir);
            Files.writeString(file, password + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
