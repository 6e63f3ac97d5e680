package io.streamingpipeline.localstack.pipeline;

import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;

/**
 * The streaming job ({@value #MAIN_CLASS}, in spark-streaming's shaded jar) as the local stack submits it, for
 * {@code ./pipeline run}, the benchmarks and the integration tests: the job's settings, rendered as its program
 * arguments under the names the job declares ({@code JobSettings} in spark-streaming). An option that is not set is not
 * passed, so the job's own default applies. The Cassandra password goes in a file, never on the command line.
 *
 * <pre>{@code
 * SparkDriver driver = spark.submit(TradesJobLaunch.of(jobJar)
 *         .bootstrapServers(kafka.bootstrapServers())
 *         .checkpoint(workDir.resolve("checkpoint"))
 *         .cassandra(cassandra, TradesJobLaunch.writePasswordFile(cassandra.password(), workDir.resolve("pw")))
 *         .health(healthPort)
 *         .submission("trades-it")   // the Spark side from here on: heap, conf, JVM options
 *         .driverHeap("1g")
 *         .build());
 * }</pre>
 */
public final class TradesJobLaunch {

    public static final String MAIN_CLASS = "io.streamingpipeline.spark.TradesToCassandraJob";

    // The job's exit codes, the start of its refusal line and the variable naming its termination message file, as the
    // job declares them (TradesJobLaunchArgumentsTest fails when they differ).
    /** The driver's exit code for an option missing or wrong. */
    public static final int EXIT_INVALID_SETTINGS = 2;
    /** The driver's exit code when it refused to start: starting it again unchanged cannot help. */
    public static final int EXIT_REFUSED = 3;
    /** The start of the driver's stderr line that says why it refused and what to do. */
    public static final String REFUSED = "Refused to start: ";
    /**
     * The driver's environment variable naming the file it writes its reason to when it exits
     * {@link #EXIT_INVALID_SETTINGS} or {@link #EXIT_REFUSED}: the refusal line, or the list of wrong options.
     */
    public static final String TERMINATION_MESSAGE_PATH = "TERMINATION_MESSAGE_PATH";

    /**
     * The job's options this launcher passes, each under the job's name for it: {@code BOOTSTRAP_SERVERS} is
     * {@code --bootstrap-servers}. integration-tests' {@code TradesJobLaunchArgumentsTest} fails when the job does not
     * declare one, or does not read back what {@link #arguments()} renders.
     */
    public enum Option {
        BOOTSTRAP_SERVERS,
        TOPIC,
        DEAD_LETTER_TOPIC,
        CHECKPOINT_LOCATION,
        STARTING_OFFSETS,
        MAX_OFFSETS_PER_TRIGGER,
        FAIL_ON_DATA_LOSS,
        TRIGGER_INTERVAL,
        CASSANDRA_HOST,
        CASSANDRA_PORT,
        CASSANDRA_LOCAL_DC,
        CASSANDRA_USERNAME,
        CASSANDRA_PASSWORD_FILE,
        KEYSPACE,
        HEALTH_PORT,
        HEALTH_BIND_ADDRESS,
        APPLY_SCHEMA,
        REPLICATION;

        /** The name the job declares the option under, without {@code --}. */
        public String jobName() {
            return JobArguments.jobName(this);
        }
    }

    private final Path jobJar;
    private final JobArguments<Option> options = new JobArguments<>(Option.class);
    private Path terminationMessage;

    private TradesJobLaunch(Path jobJar) {
        this.jobJar = Objects.requireNonNull(jobJar, "jobJar");
    }

    /** A launch of the job in {@code jobJar} with none of its options set. */
    public static TradesJobLaunch of(Path jobJar) {
        return new TradesJobLaunch(jobJar);
    }

    public TradesJobLaunch bootstrapServers(String servers) {
        return set(Option.BOOTSTRAP_SERVERS, servers);
    }

    /** The topic the job reads and the one it dead-letters to (the job's default: the contract's topics). */
    public TradesJobLaunch topics(String trades, String deadLetters) {
        return set(Option.TOPIC, trades).set(Option.DEAD_LETTER_TOPIC, deadLetters);
    }

    /** The query's checkpoint, a local directory (passed as a {@code file:} URI). */
    public TradesJobLaunch checkpoint(Path dir) {
        return set(Option.CHECKPOINT_LOCATION, dir.toAbsolutePath().toUri().toString());
    }

    /** {@code earliest}, {@code latest} or a JSON map of offsets; only used when the checkpoint is new. */
    public TradesJobLaunch startingOffsets(String offsets) {
        return set(Option.STARTING_OFFSETS, offsets);
    }

    public TradesJobLaunch maxOffsetsPerTrigger(long records) {
        return set(Option.MAX_OFFSETS_PER_TRIGGER, Long.toString(records));
    }

    /**
     * {@code false}: go on from the oldest record Kafka still holds when records the job has not read are gone
     * (retention); the job's default stops instead.
     */
    public TradesJobLaunch failOnDataLoss(boolean stop) {
        return set(Option.FAIL_ON_DATA_LOSS, Boolean.toString(stop));
    }

    /** A duration as the job reads it: {@code 250ms}, {@code 1s}. */
    public TradesJobLaunch triggerInterval(String interval) {
        return set(Option.TRIGGER_INTERVAL, interval);
    }

    /** A local-stack node as its application role, the password in {@code passwordFile} (see writePasswordFile). */
    public TradesJobLaunch cassandra(CassandraNode node, Path passwordFile) {
        return cassandra(node.host(), node.port(), node.datacenter(), node.username(), passwordFile);
    }

    public TradesJobLaunch cassandra(String host, int port, String datacenter, String username, Path passwordFile) {
        options.cassandra(host, port, datacenter, username, passwordFile);
        return this;
    }

    public TradesJobLaunch keyspace(String keyspace) {
        return set(Option.KEYSPACE, keyspace);
    }

    /** The driver's health and metrics endpoint on {@code port} of 127.0.0.1. */
    public TradesJobLaunch health(int port) {
        return set(Option.HEALTH_PORT, Integer.toString(port)).set(Option.HEALTH_BIND_ADDRESS, FreePorts.HOST);
    }

    /** The schema command instead of the streaming query: create keyspace and tables with this replication, exit. */
    public TradesJobLaunch applySchema(String replication) {
        options.flag(Option.APPLY_SCHEMA);
        return set(Option.REPLICATION, replication);
    }

    /**
     * The file the driver writes its reason to when it refuses to start or is given a wrong option (created or
     * replaced; see {@link #TERMINATION_MESSAGE_PATH}). Without it the driver writes none off Kubernetes.
     */
    public TradesJobLaunch terminationMessage(Path file) {
        this.terminationMessage = file.toAbsolutePath();
        return this;
    }

    /** The job's program arguments, {@code --name value} (a flag alone), in {@link Option} order. */
    public List<String> arguments() {
        return options.render();
    }

    /**
     * The submission of the job with these arguments, named {@code appName}; the Spark side (heap, executor memory,
     * conf, JVM options, log file) is set on the builder returned, then {@code SparkCluster.submit(builder.build())}.
     */
    public SparkSubmission.Builder submission(String appName) {
        SparkSubmission.Builder builder = SparkSubmission.builder(MAIN_CLASS, jobJar.toAbsolutePath())
                .name(appName)
                .args(arguments());
        if (terminationMessage != null) {
            builder.environment(TERMINATION_MESSAGE_PATH, terminationMessage.toString());
        }
        return builder;
    }

    /** Writes {@code password} to {@code file} (owner-only, its directory created) and returns the file. */
    public static Path writePasswordFile(String password, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(file, password + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Cassandra password file " + file, e);
        }
    }

    private TradesJobLaunch set(Option option, String value) {
        options.set(option, value);
        return this;
    }
}
