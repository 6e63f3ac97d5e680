package io.streamingpipeline.spark.batch;

import io.streamingpipeline.spark.InvalidSettingsException;
import io.streamingpipeline.spark.JobOption;
import io.streamingpipeline.spark.JobSettings;
import io.streamingpipeline.spark.OptionParsers;
import io.streamingpipeline.spark.OptionReader;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The settings of a day job: {@code <command> --day YYYY-MM-DD}, the Postgres connection of the run records
 * ({@code --ops-*}), and the streaming job's own Kafka and Cassandra options ({@code --bootstrap-servers},
 * {@code --cassandra-host}, ...), read by {@link JobSettings} with the same names, conf keys and checks. Each
 * option of its own is declared once below.
 * All problems are reported together; the passwords are never shown.
 */
public final class DayJobSettings {

    /** What a day job does. */
    public enum Command {
        DAILY_CLOSE(
                "daily-close",
                "Prove day D: per symbol, the distinct trade ids of D in Kafka against the rows "
                        + "of (symbol, D) in Cassandra and the trade_count of D's 1-minute candles; dead letters of D by "
                        + "reason. One row per symbol into Postgres (daily_close); exit code 1 on any mismatch.",
                true),
        ROLLUPS(
                "rollups",
                "Build the hourly and daily candles of day D (crypto_candles_1h, crypto_candles_1d) from "
                        + "D's 1-minute candles; running it again rewrites the same rows.",
                false),
        REPLAY(
                "replay",
                "Read day D from Kafka again and upsert its trades (ids are assigned once: repeating is "
                        + "harmless), then recompute D's 1-minute candles from the stored trade rows; the run is recorded "
                        + "in Postgres (replay_run).",
                true);

        private final String label;
        private final String help;
        private final boolean needsOps;

        Command(String label, String help, boolean needsOps) {
            this.label = label;
            this.help = help;
            this.needsOps = needsOps;
        }

        public String label() {
            return label;
        }

        public String help() {
            return help;
        }

        static Optional<Command> of(String label) {
            return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst();
        }
    }

    public static final JobOption<LocalDate> DAY =
            JobOption.value("day", null, OptionParsers::day, "The UTC day, YYYY-MM-DD. Required.");
    public static final JobOption<String> OPS_JDBC_URL = JobOption.value(
            "ops-jdbc-url",
            null,
            OptionParsers::postgresJdbcUrl,
            "JDBC URL of the Postgres database of the run records, e.g. "
                    + "jdbc:postgresql://postgres:5432/pipeline_ops. Required by daily-close and replay.");
    public static final JobOption<String> OPS_USER =
            JobOption.value("ops-user", null, OptionParsers::nonBlank, "Postgres user (e.g. pipeline_ops).");
    public static final JobOption<String> OPS_PASSWORD_FILE = JobOption.value(
            "ops-password-file",
            null,
            OptionParsers::nonBlank,
            "File holding the Postgres password (e.g. a mounted secret).");
    public static final JobOption<Duration> KAFKA_MARGIN = JobOption.value(
            "kafka-margin",
            "1h",
            OptionParsers::duration,
            "Kafka records are read by their record time from D's start minus this to D's end plus this, and kept "
                    + "when the trade time is in D.");

    private static final List<JobOption<?>> OWN_OPTIONS =
            List.of(DAY, OPS_JDBC_URL, OPS_USER, OPS_PASSWORD_FILE, KAFKA_MARGIN);
    /** Every option a day job reads: its own and the streaming job's ({@link JobSettings#OPTIONS}). */
    public static final List<JobOption<?>> OPTIONS =
            Stream.concat(OWN_OPTIONS.stream(), JobSettings.OPTIONS.stream()).toList();
    /** The streaming job's options that a day job uses. */
    private static final List<JobOption<?>> CONNECTION_OPTIONS = List.of(
            JobSettings.BOOTSTRAP_SERVERS,
            JobSettings.TOPIC,
            JobSettings.DEAD_LETTER_TOPIC,
            JobSettings.KAFKA_OPTIONS,
            JobSettings.MAX_FUTURE_SKEW,
            JobSettings.CASSANDRA_HOST,
            JobSettings.CASSANDRA_PORT,
            JobSettings.CASSANDRA_LOCAL_DC,
            JobSettings.CASSANDRA_USERNAME,
            JobSettings.CASSANDRA_PASSWORD,
            JobSettings.CASSANDRA_PASSWORD_FILE,
            JobSettings.KEYSPACE,
            JobSettings.CANDLES_TTL);

    private final Command command;
    private final boolean help;
    private final LocalDate day;
    private final Duration kafkaMargin;
    private final OpsDatabase opsDatabase;
    private final JobSettings connections;

    private DayJobSettings(
            Command command,
            boolean help,
            LocalDate day,
            Duration kafkaMargin,
            OpsDatabase opsDatabase,
            JobSettings connections) {
        this.command = command;
        this.help = help;
        this.day = day;
        this.kafkaMargin = kafkaMargin;
        this.opsDatabase = opsDatabase;
        this.connections = connections;
    }

    /**
     * Reads {@code <command> [--help] --day D [options]}: the day job's own options and the streaming job's
     * ({@link JobSettings#OPTIONS}; the others are not used), from arguments or conf as the streaming job does.
     *
     * @return help without a command for {@code --help} alone
     * @throws InvalidSettingsException naming every problem
     */
    public static DayJobSettings parse(String[] args, Map<String, String> sparkConf) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            return new DayJobSettings(null, true, null, null, null, null);
        }
        Command command = Command.of(args[0]).orElse(null);
        if (command == null) {
            throw new InvalidSettingsException(List.of("unknown command '" + args[0]
                    + "': the first argument is one of "
                    + String.join(
                            ", ",
                            Arrays.stream(Command.values()).map(Command::label).toList())));
        }
        String[] options = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.stream(options).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
            return new DayJobSettings(command, true, null, null, null, null);
        }
        OptionReader r = new OptionReader(options, sparkConf, OPTIONS);
        r.require(DAY, "");
        r.require(JobSettings.BOOTSTRAP_SERVERS, "");
        LocalDate day = r.value(DAY);
        Duration margin = r.value(KAFKA_MARGIN);
        String jdbcUrl = r.value(OPS_JDBC_URL);
        if (command.needsOps) {
            r.require(OPS_JDBC_URL, " by " + command.label);
        }
        OpsDatabase ops = null;
        if (r.given(OPS_JDBC_URL)) {
            r.require(OPS_USER, " with --" + OPS_JDBC_URL.name());
            r.require(OPS_PASSWORD_FILE, " with --" + OPS_JDBC_URL.name());
            String password = r.secretFile(OPS_PASSWORD_FILE);
            ops = jdbcUrl == null ? null : new OpsDatabase(jdbcUrl, r.value(OPS_USER), password);
        }
        JobSettings connections = JobSettings.connections(r);
        r.failIfProblems();
        return new DayJobSettings(command, false, day, margin, ops, connections);
    }

    /** {@code --help}: the commands, or one command's options. */
    public static String usage(Command command) {
        StringBuilder out = new StringBuilder();
        if (command == null) {
            out.append("Usage: spark-submit --class ")
                    .append(DayJobsMain.class.getName())
                    .append(" <job jar> <command> --day YYYY-MM-DD [options]\n\nCommands:\n");
            for (Command c : Command.values()) {
                out.append(String.format(Locale.ROOT, "  %-12s %s%n", c.label, c.help));
            }
            out.append("\n<command> --help lists its options. Exit code: 0 done (the close found everything equal), "
                    + "1 the close found a mismatch (one line per symbol on stderr), 2 bad arguments, "
                    + "3 the job failed.\n");
            return out.toString();
        }
        out.append("Usage: spark-submit --class ")
                .append(DayJobsMain.class.getName())
                .append(" <job jar> ")
                .append(command.label)
                .append(" --day YYYY-MM-DD [options]\n\n")
                .append(command.help)
                .append("\n\nOptions:\n");
        for (JobOption<?> o : OWN_OPTIONS) {
            if (command.needsOps || !o.name().startsWith("ops-")) {
                out.append(o.usageLine()).append('\n');
            }
        }
        CONNECTION_OPTIONS.forEach(o -> out.append(o.usageLine()).append('\n'));
        return out.toString();
    }

    public Command command() {
        return command;
    }

    public boolean help() {
        return help;
    }

    public LocalDate day() {
        return day;
    }

    public Duration kafkaMargin() {
        return kafkaMargin;
    }

    /** The streaming job's settings: Kafka, Cassandra, keyspace, validation. */
    public JobSettings connections() {
        return connections;
    }

    /** The Postgres database of the run records; empty when no {@code --ops-jdbc-url} was given. */
    public Optional<OpsDatabase> opsDatabase() {
        return Optional.ofNullable(opsDatabase);
    }

    @Override
    public String toString() {
        return "DayJobSettings{command=" + (command == null ? null : command.label) + ", day=" + day
                + ", ops=" + opsDatabase
                + ", kafka-margin=" + kafkaMargin + ", " + connections + "}";
    }
}
