package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.Replication;
import io.streamingpipeline.contract.TradeContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every setting of the job, read from the program arguments ({@code --checkpoint-location /data/cp}) or from Spark
 * conf ({@code --conf spark.trades.checkpoint-location=/data/cp}); an argument wins over conf, conf over the default.
 * The Cassandra connection settings also honour the connector's own keys ({@code spark.cassandra.connection.host},
 * {@code spark.cassandra.auth.username}, ...). All problems are reported together, at start, before Spark starts.
 * {@link #toString()} never shows the password.
 */
public final class JobSettings {

    /** Prefix of the Spark conf keys of this job: {@code spark.trades.<option>}. */
    public static final String CONF_PREFIX = "spark.trades.";
    /** Repeatable {@code --kafka-option key=value}, or conf {@code spark.trades.kafka-option.<key>=value}. */
    public static final String KAFKA_OPTION = "kafka-option";

    /** What the job is asked to do. */
    public enum Command {
        /** Run the streaming queries until stopped. */
        RUN,
        /** Create keyspace and tables (idempotent), then exit. */
        APPLY_SCHEMA,
        /** Print the options and exit. */
        HELP
    }

    /** One option: its name (also the suffix of its conf key), default, extra conf keys, and what it is for. */
    public record Option(String name, String defaultValue, List<String> confAliases, boolean flag, String help) {

        public String confKey() {
            return CONF_PREFIX + name;
        }
    }

    public static final Option BOOTSTRAP_SERVERS =
            option("bootstrap-servers", null, "Kafka bootstrap servers, host:port[,host:port...].");
    public static final Option TOPIC = option("topic", TradeContract.TRADES_TOPIC, "Kafka topic of trades.");
    public static final Option DEAD_LETTER_TOPIC = option(
            "dead-letter-topic",
            TradeContract.DEAD_LETTER_TOPIC,
            "Kafka topic for records that do not parse or fail validation.");
    public static final Option STARTING_OFFSETS = option(
            "starting-offsets",
            "earliest",
            "earliest, latest, or a JSON map of offsets; used only when the checkpoint is new.");
    public static final Option MAX_OFFSETS_PER_TRIGGER =
            option("max-offsets-per-trigger", "100000", "Most Kafka records per micro-batch; 0 = no limit.");
    public static final Option FAIL_ON_DATA_LOSS = option(
            "fail-on-data-loss",
            "true",
            "Stop when Kafka offsets were lost (retention, topic recreated) instead of skipping them.");
    public static final Option CHECKPOINT_LOCATION = option(
            "checkpoint-location",
            null,
            "Durable directory (HDFS, S3, a persistent volume) for the query's offsets; a restart with the same "
                    + "directory resumes where the job stopped.");
    public static final Option TRIGGER_INTERVAL = option(
            "trigger-interval",
            "250ms",
            "Processing-time trigger: how often a micro-batch starts (at once if the last one took longer); bounds "
                    + "the latency to Cassandra, of trades and candles alike.");
    public static final Option MAX_FUTURE_SKEW = option(
            "max-future-skew",
            "1h",
            "A trade time further than this after the Kafka record time is rejected as implausible.");
    public static final Option CASSANDRA_HOST = option(
            "cassandra-host",
            "127.0.0.1",
            "Cassandra contact points, host[,host...].",
            "spark.cassandra.connection.host");
    public static final Option CASSANDRA_PORT =
            option("cassandra-port", "9042", "Cassandra native protocol port.", "spark.cassandra.connection.port");
    public static final Option CASSANDRA_LOCAL_DC = option(
            "cassandra-local-dc",
            null,
            "Local datacenter of the driver (optional on one datacenter).",
            "spark.cassandra.connection.localDC");
    public static final Option CASSANDRA_USERNAME = option(
            "cassandra-username",
            null,
            "Cassandra user (optional; needs a password).",
            "spark.cassandra.auth.username");
    public static final Option CASSANDRA_PASSWORD = option(
            "cassandra-password",
            null,
            "Cassandra password; prefer --cassandra-password-file.",
            "spark.cassandra.auth.password");
    public static final Option CASSANDRA_PASSWORD_FILE = option(
            "cassandra-password-file", null, "File holding the Cassandra password (e.g. a mounted Kubernetes secret).");
    public static final Option KEYSPACE = option("keyspace", CassandraSchema.DEFAULT_KEYSPACE, "Cassandra keyspace.");
    public static final Option REPLICATION = option(
            "replication",
            "SimpleStrategy:1",
            "Schema command: SimpleStrategy:<rf> or NetworkTopologyStrategy:<dc>=<rf>[,<dc>=<rf>...].");
    public static final Option TRADES_TTL =
            option("trades-ttl", "30d", "Schema command: default TTL of raw trades; 0 = forever.");
    public static final Option CANDLES_TTL =
            option("candles-ttl", "365d", "Schema command: default TTL of candles; 0 = forever.");
    public static final Option HEALTH_PORT = option(
            "health-port",
            "8090",
            "Port of /health/live, /health/ready and /metrics on the driver; 0 = any free port, -1 = off.");
    public static final Option HEALTH_BIND_ADDRESS =
            option("health-bind-address", "0.0.0.0", "Address the health endpoint listens on.");
    public static final Option HEALTH_PROGRESS_TIMEOUT =
            option("health-progress-timeout", "120s", "Not ready when a query reported no progress for this long.");
    public static final Option GRACEFUL_STOP_TIMEOUT = option(
            "graceful-stop-timeout",
            "60s",
            "On SIGTERM, how long to wait for the running micro-batch before stopping anyway.");
    public static final Option APPLY_SCHEMA = new Option(
            "apply-schema", null, List.of(), true, "Create the keyspace and tables if they do not exist, then exit.");
    public static final Option HELP = new Option("help", null, List.of(), true, "Print this list and exit.");
    public static final Option KAFKA_OPTIONS = new Option(
            KAFKA_OPTION,
            null,
            List.of(),
            false,
            "Extra Kafka client setting key=value for source and dead-letter writer (repeatable), "
                    + "e.g. security.protocol=SASL_SSL.");

    public static final List<Option> OPTIONS = List.of(
            BOOTSTRAP_SERVERS,
            TOPIC,
            DEAD_LETTER_TOPIC,
            STARTING_OFFSETS,
            MAX_OFFSETS_PER_TRIGGER,
            FAIL_ON_DATA_LOSS,
            KAFKA_OPTIONS,
            CHECKPOINT_LOCATION,
            TRIGGER_INTERVAL,
            MAX_FUTURE_SKEW,
            CASSANDRA_HOST,
            CASSANDRA_PORT,
            CASSANDRA_LOCAL_DC,
            CASSANDRA_USERNAME,
            CASSANDRA_PASSWORD,
            CASSANDRA_PASSWORD_FILE,
            KEYSPACE,
            REPLICATION,
            TRADES_TTL,
            CANDLES_TTL,
            HEALTH_PORT,
            HEALTH_BIND_ADDRESS,
            HEALTH_PROGRESS_TIMEOUT,
            GRACEFUL_STOP_TIMEOUT,
            APPLY_SCHEMA,
            HELP);

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9_.\\-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");

    private final Command command;
    private final String bootstrapServers;
    private final String topic;
    private final String deadLetterTopic;
    private final String startingOffsets;
    private final Long maxOffsetsPerTrigger;
    private final Boolean failOnDataLoss;
    private final Map<String, String> kafkaOptions;
    private final String checkpointLocation;
    private final Duration triggerInterval;
    private final Duration maxFutureSkew;
    private final String cassandraHost;
    private final Integer cassandraPort;
    private final String cassandraLocalDc;
    private final String cassandraUsername;
    private final String cassandraPassword;
    private final String keyspace;
    private final Replication replication;
    private final Duration tradesTtl;
    private final Duration candlesTtl;
    private final Integer healthPort;
    private final String healthBindAddress;
    private final Duration healthProgressTimeout;
    private final Duration gracefulStopTimeout;

    private JobSettings(Reader r) {
        command = r.flag(HELP) ? Command.HELP : r.flag(APPLY_SCHEMA) ? Command.APPLY_SCHEMA : Command.RUN;
        boolean running = command == Command.RUN;
        bootstrapServers =
                running ? r.required(BOOTSTRAP_SERVERS, JobSettings::bootstrapServers) : r.raw(BOOTSTRAP_SERVERS);
        topic = r.value(TOPIC, JobSettings::topic);
        deadLetterTopic = r.value(DEAD_LETTER_TOPIC, JobSettings::topic);
        startingOffsets = r.value(STARTING_OFFSETS, JobSettings::startingOffsets);
        maxOffsetsPerTrigger =
                r.value(MAX_OFFSETS_PER_TRIGGER, v -> nonNegativeLong(v, "a number of records (0 = no limit)"));
        failOnDataLoss = r.value(FAIL_ON_DATA_LOSS, JobSettings::bool);
        kafkaOptions = r.kafkaOptions();
        checkpointLocation =
                running ? r.required(CHECKPOINT_LOCATION, JobSettings::nonBlank) : r.raw(CHECKPOINT_LOCATION);
        triggerInterval = r.value(TRIGGER_INTERVAL, v -> positive(duration(v)));
        maxFutureSkew = r.value(MAX_FUTURE_SKEW, JobSettings::duration);
        cassandraHost = r.value(CASSANDRA_HOST, JobSettings::hosts);
        cassandraPort = r.value(CASSANDRA_PORT, v -> port(v, false));
        cassandraLocalDc = r.optional(CASSANDRA_LOCAL_DC, JobSettings::nonBlank);
        cassandraUsername = r.optional(CASSANDRA_USERNAME, JobSettings::nonBlank);
        cassandraPassword = r.password();
        keyspace = r.value(KEYSPACE, CassandraSchema::keyspace);
        replication = r.value(REPLICATION, Replication::parse);
        tradesTtl = r.value(TRADES_TTL, JobSettings::duration);
        candlesTtl = r.value(CANDLES_TTL, JobSettings::duration);
        healthPort = r.value(HEALTH_PORT, v -> port(v, true));
        healthBindAddress = r.value(HEALTH_BIND_ADDRESS, JobSettings::nonBlank);
        healthProgressTimeout = r.value(HEALTH_PROGRESS_TIMEOUT, v -> positive(duration(v)));
        gracefulStopTimeout = r.value(GRACEFUL_STOP_TIMEOUT, JobSettings::duration);
        if ((cassandraUsername == null) != (cassandraPassword == null)) {
            r.problem("--" + CASSANDRA_USERNAME.name() + " and a password (--" + CASSANDRA_PASSWORD_FILE.name()
                    + " or --" + CASSANDRA_PASSWORD.name() + ") go together: give both or neither");
        }
        if (deadLetterTopic != null && deadLetterTopic.equals(topic)) {
            r.problem("--" + DEAD_LETTER_TOPIC.name() + " must differ from --" + TOPIC.name()
                    + ", or rejected records would be read again");
        }
        r.failIfProblems();
    }

    /**
     * Reads and checks the settings.
     *
     * @param args      the program arguments after the jar
     * @param sparkConf the Spark conf as submitted ({@code new SparkConf().getAll()})
     * @throws InvalidSettingsException naming every setting that is missing or wrong
     */
    public static JobSettings parse(String[] args, Map<String, String> sparkConf) {
        return new JobSettings(new Reader(args, sparkConf));
    }

    /** The option list for {@code --help}. */
    public static String usage() {
        StringBuilder out = new StringBuilder("Options (argument --name value, or --conf spark.trades.name=value):\n");
        for (Option o : OPTIONS) {
            out.append(String.format(Locale.ROOT, "  --%-26s %s", o.name() + (o.flag() ? "" : " <value>"), o.help()));
            if (o.defaultValue() != null) {
                out.append(" Default: ").append(o.defaultValue()).append('.');
            }
            if (!o.confAliases().isEmpty()) {
                out.append(" Also read from ")
                        .append(String.join(", ", o.confAliases()))
                        .append('.');
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Spark conf the job sets on its session: the connector's connection settings and UTC session time. */
    public Map<String, String> sparkConf() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.cassandra.connection.host", cassandraHost);
        conf.put("spark.cassandra.connection.port", Integer.toString(cassandraPort));
        if (cassandraLocalDc != null) {
            conf.put("spark.cassandra.connection.localDC", cassandraLocalDc);
        }
        if (cassandraUsername != null) {
            conf.put("spark.cassandra.auth.username", cassandraUsername);
            conf.put("spark.cassandra.auth.password", cassandraPassword);
        }
        conf.put("spark.sql.session.timeZone", "UTC");
        return conf;
    }

    /** Options of the query's Kafka source ({@code kafka.bootstrap.servers}, {@code subscribe}, ...). */
    public Map<String, String> kafkaSourceOptions() {
        Map<String, String> options = new LinkedHashMap<>(kafkaClientOptions());
        options.put("subscribe", topic);
        options.put("startingOffsets", startingOffsets);
        options.put("failOnDataLoss", Boolean.toString(failOnDataLoss));
        if (maxOffsetsPerTrigger > 0) {
            options.put("maxOffsetsPerTrigger", Long.toString(maxOffsetsPerTrigger));
        }
        return options;
    }

    /** {@code kafka.bootstrap.servers} and the {@code --kafka-option}s, prefixed {@code kafka.} as Spark wants. */
    public Map<String, String> kafkaClientOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("kafka.bootstrap.servers", bootstrapServers);
        kafkaOptions.forEach((k, v) -> options.put("kafka." + k, v));
        return options;
    }

    public Command command() {
        return command;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topic() {
        return topic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    public String startingOffsets() {
        return startingOffsets;
    }

    public long maxOffsetsPerTrigger() {
        return maxOffsetsPerTrigger;
    }

    public boolean failOnDataLoss() {
        return failOnDataLoss;
    }

    public String checkpointLocation() {
        return checkpointLocation;
    }

    public Duration triggerInterval() {
        return triggerInterval;
    }

    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    public String cassandraHost() {
        return cassandraHost;
    }

    public int cassandraPort() {
        return cassandraPort;
    }

    public Optional<String> cassandraUsername() {
        return Optional.ofNullable(cassandraUsername);
    }

    public boolean hasCassandraPassword() {
        return cassandraPassword != null;
    }

    public String keyspace() {
        return keyspace;
    }

    public Replication replication() {
        return replication;
    }

    public Duration tradesTtl() {
        return tradesTtl;
    }

    public Duration candlesTtl() {
        return candlesTtl;
    }

    public int healthPort() {
        return healthPort;
    }

    public String healthBindAddress() {
        return healthBindAddress;
    }

    public Duration healthProgressTimeout() {
        return healthProgressTimeout;
    }

    public Duration gracefulStopTimeout() {
        return gracefulStopTimeout;
    }

    /** For the log: every setting, the password only as {@code ****}, Kafka option values hidden (they may be secrets). */
    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("command", command);
        shown.put(BOOTSTRAP_SERVERS.name(), bootstrapServers);
        shown.put(TOPIC.name(), topic);
        shown.put(DEAD_LETTER_TOPIC.name(), deadLetterTopic);
        shown.put(STARTING_OFFSETS.name(), startingOffsets);
        shown.put(MAX_OFFSETS_PER_TRIGGER.name(), maxOffsetsPerTrigger);
        shown.put(FAIL_ON_DATA_LOSS.name(), failOnDataLoss);
        shown.put(KAFKA_OPTION, kafkaOptions.keySet());
        shown.put(CHECKPOINT_LOCATION.name(), checkpointLocation);
        shown.put(TRIGGER_INTERVAL.name(), triggerInterval);
        shown.put(MAX_FUTURE_SKEW.name(), maxFutureSkew);
        shown.put(CASSANDRA_HOST.name(), cassandraHost);
        shown.put(CASSANDRA_PORT.name(), cassandraPort);
        shown.put(CASSANDRA_LOCAL_DC.name(), cassandraLocalDc);
        shown.put(CASSANDRA_USERNAME.name(), cassandraUsername);
        shown.put(CASSANDRA_PASSWORD.name(), cassandraPassword == null ? null : "****");
        shown.put(KEYSPACE.name(), keyspace);
        shown.put(REPLICATION.name(), replication);
        shown.put(TRADES_TTL.name(), tradesTtl);
        shown.put(CANDLES_TTL.name(), candlesTtl);
        shown.put(HEALTH_PORT.name(), healthPort);
        shown.put(HEALTH_BIND_ADDRESS.name(), healthBindAddress);
        shown.put(HEALTH_PROGRESS_TIMEOUT.name(), healthProgressTimeout);
        shown.put(GRACEFUL_STOP_TIMEOUT.name(), gracefulStopTimeout);
        return "JobSettings" + shown;
    }

    // ---- value parsers: each returns the value or throws IllegalArgumentException with what is expected ----

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 30d}, or ISO-8601 such as {@code PT10S}. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        try {
            Duration d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("a duration such as 500ms, 10s, 5m, 2h or 30d");
    }

    private static Duration positive(Duration d) {
        if (d.isZero()) {
            throw new IllegalArgumentException("a duration greater than 0, such as 1s");
        }
        return d;
    }

    private static String nonBlank(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("a non-empty value");
        }
        return text.strip();
    }

    private static String bootstrapServers(String text) {
        for (String server : text.split(",")) {
            if (!HOST_PORT.matcher(server.strip()).matches()) {
                throw new IllegalArgumentException("host:port[,host:port...], e.g. kafka:9092");
            }
        }
        return text.strip();
    }

    private static String hosts(String text) {
        for (String host : text.split(",")) {
            if (host.isBlank() || host.strip().contains(" ")) {
                throw new IllegalArgumentException("host[,host...], e.g. cassandra-0.cassandra,cassandra-1.cassandra");
            }
        }
        return text.strip();
    }

    private static String topic(String text) {
        if (!TOPIC_NAME.matcher(text.strip()).matches()) {
            throw new IllegalArgumentException("a Kafka topic name (letters, digits, '.', '_', '-')");
        }
        return text.strip();
    }

    private static String startingOffsets(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("earliest") || t.equalsIgnoreCase("latest")) {
            return t.toLowerCase(Locale.ROOT);
        }
        if (t.startsWith("{") && t.endsWith("}")) {
            return t;
        }
        throw new IllegalArgumentException("earliest, latest, or a JSON map such as {\"crypto_trades\":{\"0\":42}}");
    }

    private static long nonNegativeLong(String text, String what) {
        try {
            long n = Long.parseLong(text.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(what + " >= 0");
    }

    private static int port(String text, boolean allowOff) {
        try {
            int p = Integer.parseInt(text.strip());
            if ((p >= 1 && p <= 65535) || (allowOff && (p == 0 || p == -1))) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(
                allowOff ? "a port 1-65535, 0 (any free port) or -1 (off)" : "a port 1-65535");
    }

    private static boolean bool(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("true or false");
        };
    }

    private static Option option(String name, String defaultValue, String help, String... confAliases) {
        return new Option(name, defaultValue, List.of(confAliases), false, help);
    }

    /** Merges arguments, conf and defaults, and collects problems instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, String> args = new LinkedHashMap<>();
        private final Map<String, String> kafkaArgs = new TreeMap<>();
        private final Map<String, String> conf;
        private final List<String> problems = new ArrayList<>();

        Reader(String[] argv, Map<String, String> conf) {
            this.conf = conf == null ? Map.of() : conf;
            Map<String, Option> byName = new LinkedHashMap<>();
            OPTIONS.forEach(o -> byName.put(o.name(), o));
            for (int i = 0; i < (argv == null ? 0 : argv.length); i++) {
                String arg = argv[i];
                if (!arg.startsWith("--")) {
                    problems.add("unexpected argument '" + arg + "': options look like --name value");
                    continue;
                }
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Option option = byName.get(name);
                if (option == null) {
                    problems.add("unknown option --" + name);
                    if (value == null && i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                        i++; // its value
                    }
                    continue;
                }
                if (option.flag()) {
                    args.put(name, value == null ? "true" : value);
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                        problems.add("--" + name + " needs a value");
                        continue;
                    }
                    value = argv[++i];
                }
                if (option == KAFKA_OPTIONS) {
                    addKafkaOption(value, kafkaArgs);
                } else {
                    args.put(name, value);
                }
            }
        }

        boolean flag(Option option) {
            String v = raw(option);
            return v != null && Boolean.TRUE.equals(parse(option, v, JobSettings::bool));
        }

        /** The text given for an option (argument, then conf, then aliases), or its default. */
        String raw(Option option) {
            if (args.containsKey(option.name())) {
                return args.get(option.name());
            }
            if (conf.containsKey(option.confKey())) {
                return conf.get(option.confKey());
            }
            for (String alias : option.confAliases()) {
                if (conf.containsKey(alias)) {
                    return conf.get(alias);
                }
            }
            return option.defaultValue();
        }

        <T> T value(Option option, Function<String, T> parse) {
            String text = raw(option);
            return text == null ? null : parse(option, text, parse);
        }

        <T> T optional(Option option, Function<String, T> parse) {
            String text = raw(option);
            return text == null || text.isBlank() ? null : parse(option, text, parse);
        }

        <T> T required(Option option, Function<String, T> parse) {
            String text = raw(option);
            if (text == null || text.isBlank()) {
                problems.add("--" + option.name() + " is required to run: " + option.help() + " Set it with --"
                        + option.name() + " <value> or --conf " + option.confKey() + "=<value>.");
                return null;
            }
            return parse(option, text, parse);
        }

        private <T> T parse(Option option, String text, Function<String, T> parse) {
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                boolean secret = option == CASSANDRA_PASSWORD;
                problems.add(
                        "--" + option.name() + " must be " + e.getMessage() + (secret ? "" : ", was '" + text + "'"));
                return null;
            }
        }

        String password() {
            String file = optional(CASSANDRA_PASSWORD_FILE, JobSettings::nonBlank);
            if (file != null) {
                try {
                    String password = Files.readString(Path.of(file), StandardCharsets.UTF_8)
                            .strip();
                    if (password.isEmpty()) {
                        problems.add("--" + CASSANDRA_PASSWORD_FILE.name() + " names an empty file: " + file);
                        return null;
                    }
                    return password;
                } catch (IOException | RuntimeException e) {
                    problems.add("--" + CASSANDRA_PASSWORD_FILE.name() + " cannot be read: " + file + " ("
                            + e.getClass().getSimpleName() + ")");
                    return null;
                }
            }
            String password = raw(CASSANDRA_PASSWORD);
            return password == null || password.isEmpty() ? null : password;
        }

        Map<String, String> kafkaOptions() {
            Map<String, String> options = new TreeMap<>();
            String prefix = CONF_PREFIX + KAFKA_OPTION + ".";
            conf.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    options.put(k.substring(prefix.length()), v);
                }
            });
            options.putAll(kafkaArgs);
            if (options.containsKey("bootstrap.servers")) {
                problems.add(
                        "set the bootstrap servers with --" + BOOTSTRAP_SERVERS.name() + ", not --" + KAFKA_OPTION);
            }
            return Map.copyOf(options);
        }

        private void addKafkaOption(String keyValue, Map<String, String> into) {
            int eq = keyValue.indexOf('=');
            if (eq <= 0) {
                problems.add("--" + KAFKA_OPTION + " must be key=value, e.g. security.protocol=SSL");
                return;
            }
            into.put(keyValue.substring(0, eq).strip(), keyValue.substring(eq + 1));
        }

        void problem(String problem) {
            problems.add(problem);
        }

        void failIfProblems() {
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
        }
    }
}
