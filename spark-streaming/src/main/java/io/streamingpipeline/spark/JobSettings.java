package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.Replication;
import io.streamingpipeline.contract.TradeContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every setting of the job, read from the program arguments ({@code --checkpoint-location /data/cp}) or from Spark
 * conf ({@code --conf spark.trades.checkpoint-location=/data/cp}); an argument wins over conf, conf over the default.
 * The Cassandra connection settings also honour the connector's own keys ({@code spark.cassandra.connection.host},
 * {@code spark.cassandra.auth.username}, ...). Each option is declared once below, with its default, parser and help.
 * All problems are reported together, at start, before Spark starts. {@link #toString()} never shows the password.
 */
public final class JobSettings {

    /** What the job is asked to do. */
    public enum Command {
        /** Run the streaming queries until stopped. */
        RUN,
        /** Create keyspace and tables (idempotent), then exit. */
        APPLY_SCHEMA,
        /** Print the options and exit. */
        HELP
    }

    // Filled by option(...) as the declarations below run, in this order; OPTIONS copies it after the last one.
    private static final List<JobOption<?>> DECLARED = new ArrayList<>();

    public static final JobOption<String> BOOTSTRAP_SERVERS = option(
            "bootstrap-servers",
            null,
            OptionParsers::bootstrapServers,
            "Kafka bootstrap servers, host:port[,host:port...].");
    public static final JobOption<String> TOPIC =
            option("topic", TradeContract.TRADES_TOPIC, OptionParsers::topic, "Kafka topic of trades.");
    public static final JobOption<String> DEAD_LETTER_TOPIC = option(
            "dead-letter-topic",
            TradeContract.DEAD_LETTER_TOPIC,
            OptionParsers::topic,
            "Kafka topic for records that do not parse or fail validation.");
    public static final JobOption<String> STARTING_OFFSETS = option(
            "starting-offsets",
            "earliest",
            OptionParsers::startingOffsets,
            "earliest, latest, or a JSON map of offsets; used only when the checkpoint is new.");
    public static final JobOption<Long> MAX_OFFSETS_PER_TRIGGER = option(
            "max-offsets-per-trigger",
            "100000",
            OptionParsers::recordLimit,
            "Most Kafka records per micro-batch; 0 = no limit.");
    public static final JobOption<Boolean> FAIL_ON_DATA_LOSS = option(
            "fail-on-data-loss",
            "true",
            OptionParsers::bool,
            "Stop when Kafka offsets were lost (retention, topic recreated) instead of skipping them.");
    public static final JobOption<String> KAFKA_OPTIONS = declare(
            JobOption.keyValue(
                    "kafka-option",
                    "Extra Kafka client setting for source and dead-letter writer (repeatable), e.g. security.protocol=SASL_SSL."));
    public static final JobOption<String> CHECKPOINT_LOCATION = option(
            "checkpoint-location",
            null,
            OptionParsers::nonBlank,
            "Durable directory (HDFS, S3, a persistent volume) for the query's offsets; a restart with the same "
                    + "directory resumes where the job stopped.");
    public static final JobOption<Duration> TRIGGER_INTERVAL = option(
            "trigger-interval",
            "100ms",
            OptionParsers::positiveDuration,
            "Processing-time trigger: how often a micro-batch starts (at once if the last one took longer); bounds "
                    + "the latency to Cassandra, of trades and candles alike.");
    public static final JobOption<Duration> MAX_FUTURE_SKEW = option(
            "max-future-skew",
            "1h",
            OptionParsers::duration,
            "A trade time further than this after the Kafka record time is rejected as implausible.");
    public static final JobOption<String> CASSANDRA_HOST = option(
            "cassandra-host",
            "127.0.0.1",
            OptionParsers::hosts,
            "Cassandra contact points, host[,host...].",
            "spark.cassandra.connection.host");
    public static final JobOption<Integer> CASSANDRA_PORT = option(
            "cassandra-port",
            "9042",
            OptionParsers::port,
            "Cassandra native protocol port.",
            "spark.cassandra.connection.port");
    public static final JobOption<String> CASSANDRA_LOCAL_DC = option(
            "cassandra-local-dc",
            null,
            OptionParsers::nonBlank,
            "Local datacenter of the driver (optional on one datacenter).",
            "spark.cassandra.connection.localDC");
    public static final JobOption<String> CASSANDRA_USERNAME = option(
            "cassandra-username",
            null,
            OptionParsers::nonBlank,
            "Cassandra user (optional; needs a password).",
            "spark.cassandra.auth.username");
    public static final JobOption<String> CASSANDRA_PASSWORD = declare(JobOption.secret(
            "cassandra-password",
            "Cassandra password; prefer --cassandra-password-file.",
            "spark.cassandra.auth.password"));
    public static final JobOption<String> CASSANDRA_PASSWORD_FILE = option(
            "cassandra-password-file",
            null,
            OptionParsers::nonBlank,
            "File holding the Cassandra password (e.g. a mounted Kubernetes secret).");
    public static final JobOption<String> KEYSPACE =
            option("keyspace", CassandraSchema.DEFAULT_KEYSPACE, CassandraSchema::keyspace, "Cassandra keyspace.");
    public static final JobOption<Replication> REPLICATION = option(
            "replication",
            "SimpleStrategy:1",
            Replication::parse,
            "Schema command: SimpleStrategy:<rf> or NetworkTopologyStrategy:<dc>=<rf>[,<dc>=<rf>...].");
    public static final JobOption<Duration> TRADES_TTL = option(
            "trades-ttl", "30d", OptionParsers::duration, "Schema command: default TTL of raw trades; 0 = forever.");
    public static final JobOption<Duration> CANDLES_TTL = option(
            "candles-ttl", "365d", OptionParsers::duration, "Schema command: default TTL of candles; 0 = forever.");
    public static final JobOption<Integer> HEALTH_PORT = option(
            "health-port",
            "8090",
            OptionParsers::portOrOff,
            "Port of /health/live, /health/ready and /metrics on the driver; 0 = any free port, -1 = off.");
    public static final JobOption<String> HEALTH_BIND_ADDRESS = option(
            "health-bind-address", "0.0.0.0", OptionParsers::nonBlank, "Address the health endpoint listens on.");
    public static final JobOption<Duration> HEALTH_PROGRESS_TIMEOUT = option(
            "health-progress-timeout",
            "120s",
            OptionParsers::positiveDuration,
            "Not ready when a query reported no progress for this long.");
    public static final JobOption<Duration> GRACEFUL_STOP_TIMEOUT = option(
            "graceful-stop-timeout",
            "60s",
            OptionParsers::duration,
            "On SIGTERM, how long to wait for the running micro-batch before stopping anyway.");
    public static final JobOption<Boolean> APPLY_SCHEMA =
            declare(JobOption.flag("apply-schema", "Create the keyspace and tables if they do not exist, then exit."));
    public static final JobOption<Boolean> HELP = declare(JobOption.flag("help", "Print this list and exit."));

    /** Every option, in the order {@code --help} lists them. */
    public static final List<JobOption<?>> OPTIONS = List.copyOf(DECLARED);

    private final Command command;
    private final Map<JobOption<?>, Object> values = new HashMap<>();

    private JobSettings(OptionReader r, boolean streaming) {
        command = r.flag(HELP) ? Command.HELP : r.flag(APPLY_SCHEMA) ? Command.APPLY_SCHEMA : Command.RUN;
        for (JobOption<?> option : OPTIONS) {
            switch (option.kind()) {
                case FLAG -> {}
                case KEY_VALUE -> values.put(option, r.keyValues(KAFKA_OPTIONS));
                default -> values.put(option, r.value(option));
            }
        }
        if (streaming && command == Command.RUN) {
            r.require(BOOTSTRAP_SERVERS, " to run");
            r.require(CHECKPOINT_LOCATION, " to run");
        }
        if (r.given(CASSANDRA_PASSWORD_FILE)) {
            values.put(CASSANDRA_PASSWORD, r.secretFile(CASSANDRA_PASSWORD_FILE));
        }
        if ((get(CASSANDRA_USERNAME) == null) != (get(CASSANDRA_PASSWORD) == null)) {
            r.problem("--" + CASSANDRA_USERNAME.name() + " and a password (--" + CASSANDRA_PASSWORD_FILE.name()
                    + " or --" + CASSANDRA_PASSWORD.name() + ") go together: give both or neither");
        }
        if (deadLetterTopic() != null && deadLetterTopic().equals(topic())) {
            r.problem("--" + DEAD_LETTER_TOPIC.name() + " must differ from --" + TOPIC.name()
                    + ", or rejected records would be read again");
        }
        if (kafkaOptions().containsKey("bootstrap.servers")) {
            r.problem(
                    "set the bootstrap servers with --" + BOOTSTRAP_SERVERS.name() + ", not --" + KAFKA_OPTIONS.name());
        }
    }

    /**
     * Reads and checks the settings.
     *
     * @param args      the program arguments after the jar
     * @param sparkConf the Spark conf as submitted ({@code new SparkConf().getAll()})
     * @throws InvalidSettingsException naming every setting that is missing or wrong
     */
    public static JobSettings parse(String[] args, Map<String, String> sparkConf) {
        OptionReader reader = new OptionReader(args, sparkConf, OPTIONS);
        JobSettings settings = new JobSettings(reader, true);
        reader.failIfProblems();
        return settings;
    }

    /**
     * The Kafka and Cassandra settings for another command (the day jobs) that reads these options with its own:
     * nothing is required, problems go to the reader.
     */
    public static JobSettings connections(OptionReader reader) {
        return new JobSettings(reader, false);
    }

    /** The option list for {@code --help}. */
    public static String usage() {
        StringBuilder out = new StringBuilder("Options (argument --name value, or --conf spark.trades.name=value):\n");
        OPTIONS.forEach(o -> out.append(o.usageLine()).append('\n'));
        return out.toString();
    }

    /** Spark conf the job sets on its session: the connector's connection settings and UTC session time. */
    public Map<String, String> sparkConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.cassandra.connection.host", cassandraHost());
        conf.put("spark.cassandra.connection.port", Integer.toString(cassandraPort()));
        if (get(CASSANDRA_LOCAL_DC) != null) {
            conf.put("spark.cassandra.connection.localDC", get(CASSANDRA_LOCAL_DC));
        }
        if (get(CASSANDRA_USERNAME) != null) {
            conf.put("spark.cassandra.auth.username", get(CASSANDRA_USERNAME));
            conf.put("spark.cassandra.auth.password", get(CASSANDRA_PASSWORD));
        }
        conf.put("spark.sql.session.timeZone", "UTC");
        return conf;
    }

    /**
     * Records per poll of the executors' Kafka consumers, unless {@code --kafka-option max.poll.records=N} says
     * otherwise. Spark's consumer follows every poll with two requests for the partition's earliest and latest offsets,
     * which also drop what it fetched ahead: with Kafka's 500 records per poll, a 50,000-record batch made 100 polls
     * and 200 offset requests, and polling was 14 % of the tasks' time (bench/sink, docs/benchmarks.md).
     */
    static final int MAX_POLL_RECORDS = 10_000;

    /** Options of the query's Kafka source ({@code kafka.bootstrap.servers}, {@code subscribe}, ...). */
    public Map<String, String> kafkaSourceOptions() {
        Map<String, String> options = new LinkedHashMap<>(kafkaClientOptions());
        options.putIfAbsent("kafka.max.poll.records", Integer.toString(MAX_POLL_RECORDS));
        options.put("subscribe", topic());
        options.put("startingOffsets", startingOffsets());
        options.put("failOnDataLoss", Boolean.toString(failOnDataLoss()));
        if (maxOffsetsPerTrigger() > 0) {
            options.put("maxOffsetsPerTrigger", Long.toString(maxOffsetsPerTrigger()));
        }
        return options;
    }

    /** {@code kafka.bootstrap.servers} and the {@code --kafka-option}s, prefixed {@code kafka.} as Spark wants. */
    public Map<String, String> kafkaClientOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("kafka.bootstrap.servers", bootstrapServers());
        kafkaOptions().forEach((k, v) -> options.put("kafka." + k, v));
        return options;
    }

    @SuppressWarnings("unchecked")
    private <T> T get(JobOption<T> option) {
        return (T) values.get(option);
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> kafkaOptions() {
        return (Map<String, String>) values.get(KAFKA_OPTIONS);
    }

    public Command command() {
        return command;
    }

    public String bootstrapServers() {
        return get(BOOTSTRAP_SERVERS);
    }

    public String topic() {
        return get(TOPIC);
    }

    public String deadLetterTopic() {
        return get(DEAD_LETTER_TOPIC);
    }

    public String startingOffsets() {
        return get(STARTING_OFFSETS);
    }

    public long maxOffsetsPerTrigger() {
        return get(MAX_OFFSETS_PER_TRIGGER);
    }

    public boolean failOnDataLoss() {
        return get(FAIL_ON_DATA_LOSS);
    }

    public String checkpointLocation() {
        return get(CHECKPOINT_LOCATION);
    }

    public Duration triggerInterval() {
        return get(TRIGGER_INTERVAL);
    }

    public Duration maxFutureSkew() {
        return get(MAX_FUTURE_SKEW);
    }

    public String cassandraHost() {
        return get(CASSANDRA_HOST);
    }

    public int cassandraPort() {
        return get(CASSANDRA_PORT);
    }

    public Optional<String> cassandraUsername() {
        return Optional.ofNullable(get(CASSANDRA_USERNAME));
    }

    public boolean hasCassandraPassword() {
        return get(CASSANDRA_PASSWORD) != null;
    }

    public String keyspace() {
        return get(KEYSPACE);
    }

    public Replication replication() {
        return get(REPLICATION);
    }

    public Duration tradesTtl() {
        return get(TRADES_TTL);
    }

    public Duration candlesTtl() {
        return get(CANDLES_TTL);
    }

    public int healthPort() {
        return get(HEALTH_PORT);
    }

    public String healthBindAddress() {
        return get(HEALTH_BIND_ADDRESS);
    }

    public Duration healthProgressTimeout() {
        return get(HEALTH_PROGRESS_TIMEOUT);
    }

    public Duration gracefulStopTimeout() {
        return get(GRACEFUL_STOP_TIMEOUT);
    }

    /** For the log: every setting, the password only as {@code ****}, Kafka option values hidden (they may be secrets). */
    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("command", command);
        for (JobOption<?> option : OPTIONS) {
            Object value = values.get(option);
            switch (option.kind()) {
                case VALUE -> shown.put(option.name(), value);
                case SECRET -> shown.put(option.name(), value == null ? null : "****");
                case KEY_VALUE -> shown.put(option.name(), kafkaOptions().keySet());
                case FLAG -> {}
            }
        }
        return "JobSettings" + shown;
    }

    private static <T> JobOption<T> option(
            String name, String defaultValue, Function<String, T> parser, String help, String... confAliases) {
        return declare(JobOption.value(name, defaultValue, parser, help, confAliases));
    }

    private static <T> JobOption<T> declare(JobOption<T> option) {
        DECLARED.add(option);
        return option;
    }
}
