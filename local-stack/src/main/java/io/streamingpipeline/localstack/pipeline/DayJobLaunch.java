package io.streamingpipeline.localstack.pipeline;

import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A day job ({@value #MAIN_CLASS}: {@code daily-close}, {@code rollups}, {@code replay}, in spark-streaming's shaded
 * jar) as the local stack submits it, for {@code ./pipeline daily-close|rollups|replay} and the integration tests:
 * the command, then its settings as program arguments under the names the job declares ({@code DayJobSettings} in
 * spark-streaming). An option that is not set is not passed, so the job's own default applies; passwords go in files.
 * integration-tests' {@code DayJobLaunchArgumentsTest} fails when the job does not declare an {@link Option}, or
 * does not read back what {@link #arguments()} renders.
 */
public final class DayJobLaunch {

    public static final String MAIN_CLASS = "io.streamingpipeline.spark.batch.DayJobsMain";
    /** The job's commands, its first argument. */
    public static final List<String> COMMANDS = List.of("daily-close", "rollups", "replay");

    /** The job's options this launcher passes; {@code KAFKA_MARGIN} is {@code --kafka-margin}. */
    public enum Option {
        DAY,
        BOOTSTRAP_SERVERS,
        TOPIC,
        DEAD_LETTER_TOPIC,
        CASSANDRA_HOST,
        CASSANDRA_PORT,
        CASSANDRA_LOCAL_DC,
        CASSANDRA_USERNAME,
        CASSANDRA_PASSWORD_FILE,
        KEYSPACE,
        KAFKA_MARGIN,
        OPS_JDBC_URL,
        OPS_USER,
        OPS_PASSWORD_FILE;

        /** The name the job declares the option under, without {@code --}. */
        public String jobName() {
            return JobArguments.jobName(this);
        }
    }

    private final Path jobJar;
    private final String command;
    private final JobArguments<Option> options = new JobArguments<>(Option.class);
    private final List<String> passedThrough = new ArrayList<>();

    private DayJobLaunch(Path jobJar, String command) {
        this.jobJar = Objects.requireNonNull(jobJar, "jobJar");
        if (!COMMANDS.contains(command)) {
            throw new IllegalArgumentException("a day job is one of " + COMMANDS + ", not '" + command + "'");
        }
        this.command = command;
    }

    /** {@code command} of the job in {@code jobJar} for the UTC {@code day} ({@code YYYY-MM-DD}, checked by the job). */
    public static DayJobLaunch of(Path jobJar, String command, String day) {
        return new DayJobLaunch(jobJar, command).set(Option.DAY, day);
    }

    public DayJobLaunch bootstrapServers(String servers) {
        return set(Option.BOOTSTRAP_SERVERS, servers);
    }

    /** The topic the day is read from and its dead-letter topic (the job's default: the contract's topics). */
    public DayJobLaunch topics(String trades, String deadLetters) {
        return set(Option.TOPIC, trades).set(Option.DEAD_LETTER_TOPIC, deadLetters);
    }

    /** A local-stack node as its application role, the password in {@code passwordFile}. */
    public DayJobLaunch cassandra(CassandraNode node, Path passwordFile) {
        return cassandra(node.host(), node.port(), node.datacenter(), node.username(), passwordFile);
    }

    public DayJobLaunch cassandra(String host, int port, String datacenter, String username, Path passwordFile) {
        options.cassandra(host, port, datacenter, username, passwordFile);
        return this;
    }

    public DayJobLaunch keyspace(String keyspace) {
        return set(Option.KEYSPACE, keyspace);
    }

    /** A duration as the job reads it, e.g. {@code 30m}. */
    public DayJobLaunch kafkaMargin(String margin) {
        return set(Option.KAFKA_MARGIN, margin);
    }

    /** The Postgres database of the run records ({@code daily_close}, {@code replay_run}). */
    public DayJobLaunch ops(String jdbcUrl, String user, Path passwordFile) {
        return set(Option.OPS_JDBC_URL, jdbcUrl)
                .set(Option.OPS_USER, user)
                .set(Option.OPS_PASSWORD_FILE, passwordFile.toString());
    }

    /** Arguments passed on as they are, after the options above: what {@code ./pipeline} does not read itself. */
    public DayJobLaunch passThrough(List<String> args) {
        passedThrough.addAll(args);
        return this;
    }

    /** The job's program arguments: the command, {@code --name value} in {@link Option} order, then the rest. */
    public List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(options.render());
        args.addAll(passedThrough);
        return args;
    }

    /** The submission of the job with these arguments, named {@code appName}; the Spark side is set on the builder. */
    public SparkSubmission.Builder submission(String appName) {
        return SparkSubmission.builder(MAIN_CLASS, jobJar.toAbsolutePath())
                .name(appName)
                .args(arguments());
    }

    private DayJobLaunch set(Option option, String value) {
        options.set(option, value);
        return this;
    }
}
