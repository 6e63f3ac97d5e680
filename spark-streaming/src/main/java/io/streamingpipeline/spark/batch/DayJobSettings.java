package io.streamingpipeline.spark.batch;

import io.streamingpipeline.spark.InvalidSettingsException;
import io.streamingpipeline.spark.JobSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of a day job: {@code <command> --day YYYY-MM-DD}, the Postgres connection of the run records
 * ({@code --ops-*}), and the streaming job's own Kafka and Cassandra options ({@code --bootstrap-servers},
 * {@code --cassandra-host}, ...), read by {@link JobSettings} with the same names, conf keys and checks.
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

    public static final String DAY = "day";
    public static final String OPS_JDBC_URL = "ops-jdbc-url";
    public static final String OPS_USER = "ops-user";
    public static final String OPS_PASSWORD_FILE = "ops-password-file";
    public static final String KAFKA_MARGIN = "kafka-margin";
    static final String DEFAULT_KAFKA_MARGIN = "1h";

    private static final List<String[]> OWN_OPTIONS = List.of(
            new String[] {DAY, "The UTC day, YYYY-MM-DD. Required."},
            new String[] {
                OPS_JDBC_URL,
                "JDBC URL of the Postgres database of the run records, e.g. "
                        + "jdbc:postgresql://postgres:5432/pipeline_ops. Required by daily-close and replay."
            },
            new String[] {OPS_USER, "Postgres user (e.g. pipeline_ops)."},
            new String[] {OPS_PASSWORD_FILE, "File holding the Postgres password (e.g. a mounted secret)."},
            new String[] {
                KAFKA_MARGIN,
                "Kafka records are read by their record time from D's start minus this to "
                        + "D's end plus this, and kept when the trade time is in D. Default: " + DEFAULT_KAFKA_MARGIN
                        + "."
            });
    /** The streaming job's options that a day job uses. */
    private static final List<JobSettings.Option> CONNECTION_OPTIONS = List.of(
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

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h)");

    private final Command command;
    private final boolean help;
    private final LocalDate day;
    private final String opsJdbcUrl;
    private final String opsUser;
    private final String opsPassword;
    private final Duration kafkaMargin;
    private final JobSettings connections;

    private DayJobSettings(
            Command command,
            boolean help,
            LocalDate day,
            String opsJdbcUrl,
            String opsUser,
            String opsPassword,
            Duration kafkaMargin,
            JobSettings connections) {
        this.command = command;
        this.help = help;
        this.day = day;
        this.opsJdbcUrl = opsJdbcUrl;
        this.opsUser = opsUser;
        this.opsPassword = opsPassword;
        this.kafkaMargin = kafkaMargin;
        this.connections = connections;
    }

    /**
     * Reads {@code <command> [--help] --day D [options]}.
     *
     * @return empty for {@code --help} without a command
     * @throws InvalidSettingsException naming every problem
     */
    public static DayJobSettings parse(String[] args, Map<String, String> sparkConf) {
        List<String> problems = new ArrayList<>();
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            return new DayJobSettings(null, true, null, null, null, null, null, null);
        }
        Command command = Command.of(args[0]).orElse(null);
        if (command == null) {
            throw new InvalidSettingsException(List.of("unknown command '" + args[0]
                    + "': the first argument is one of "
                    + String.join(
                            ", ",
                            Arrays.stream(Command.values()).map(Command::label).toList())));
        }
        String dayText = null;
        String jdbcUrl = null;
        String user = null;
        String passwordFile = null;
        String marginText = DEFAULT_KAFKA_MARGIN;
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return new DayJobSettings(command, true, null, null, null, null, null, null);
            }
            String name = arg.startsWith("--") ? arg.substring(2) : "";
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            String optionName = name;
            if (OWN_OPTIONS.stream().noneMatch(o -> o[0].equals(optionName))) {
                rest.add(arg);
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    problems.add("--" + name + " needs a value");
                    continue;
                }
                value = args[++i];
            }
            switch (name) {
                case DAY -> dayText = value;
                case OPS_JDBC_URL -> jdbcUrl = value.strip();
                case OPS_USER -> user = value.strip();
                case OPS_PASSWORD_FILE -> passwordFile = value.strip();
                default -> marginText = value;
            }
        }

        LocalDate day = null;
        if (dayText == null) {
            problems.add("--" + DAY + " is required: the UTC day to work on, e.g. --day 2026-01-15");
        } else {
            try {
                day = LocalDate.parse(dayText.strip());
            } catch (DateTimeParseException e) {
                problems.add("--" + DAY + " must be a date YYYY-MM-DD, was '" + dayText + "'");
            }
        }
        Duration margin = null;
        try {
            margin = duration(marginText);
        } catch (IllegalArgumentException e) {
            problems.add("--" + KAFKA_MARGIN + " must be " + e.getMessage() + ", was '" + marginText + "'");
        }
        if (jdbcUrl != null && !jdbcUrl.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            problems.add("--" + OPS_JDBC_URL + " must be a PostgreSQL JDBC URL such as "
                    + "jdbc:postgresql://postgres:5432/pipeline_ops, was '" + jdbcUrl + "'");
        }
        if (command.needsOps && jdbcUrl == null) {
            problems.add("--" + OPS_JDBC_URL + " is required by " + command.label + ": the Postgres database that "
                    + "keeps the results, e.g. jdbc:postgresql://postgres:5432/pipeline_ops");
        }
        if (jdbcUrl != null && user == null) {
            problems.add(
                    "--" + OPS_USER + " is required with --" + OPS_JDBC_URL + ", e.g. --" + OPS_USER + " pipeline_ops");
        }
        String password = null;
        if (passwordFile != null) {
            try {
                password = Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8)
                        .strip();
                if (password.isEmpty()) {
                    problems.add("--" + OPS_PASSWORD_FILE + " names an empty file: " + passwordFile);
                }
            } catch (IOException | RuntimeException e) {
                problems.add("--" + OPS_PASSWORD_FILE + " cannot be read: " + passwordFile + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        } else if (jdbcUrl != null) {
            problems.add("--" + OPS_PASSWORD_FILE + " is required with --" + OPS_JDBC_URL
                    + ": a file holding the Postgres password");
        }

        JobSettings connections = null;
        try {
            // The streaming job's parser reads and checks the Kafka and Cassandra options. With --apply-schema it
            // needs no checkpoint (a day job runs no streaming query), nor the bootstrap servers: checked below.
            List<String> jobArgs = new ArrayList<>(rest);
            jobArgs.add("--" + JobSettings.APPLY_SCHEMA.name());
            connections = JobSettings.parse(jobArgs.toArray(String[]::new), sparkConf);
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
        String bootstrap = JobSettings.BOOTSTRAP_SERVERS.name();
        boolean bootstrapGiven = sparkConf.containsKey(JobSettings.BOOTSTRAP_SERVERS.confKey())
                || rest.stream().anyMatch(a -> a.equals("--" + bootstrap) || a.startsWith("--" + bootstrap + "="));
        if (!bootstrapGiven) {
            problems.add("--" + bootstrap + " is required: " + JobSettings.BOOTSTRAP_SERVERS.help() + " Set it with --"
                    + bootstrap + " <value> or --conf " + JobSettings.BOOTSTRAP_SERVERS.confKey() + "=<value>.");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return new DayJobSettings(command, false, day, jdbcUrl, user, password, margin, connections);
    }

    /** {@code 30m}, {@code 1h}, {@code 90s} (as the streaming job's durations). */
    private static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("a duration such as 30m, 1h or 90s");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
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
        for (String[] o : OWN_OPTIONS) {
            if (command.needsOps || !o[0].startsWith("ops-")) {
                out.append(String.format(Locale.ROOT, "  --%-26s %s%n", o[0] + " <value>", o[1]));
            }
        }
        for (JobSettings.Option o : CONNECTION_OPTIONS) {
            out.append(String.format(Locale.ROOT, "  --%-26s %s", o.name() + " <value>", o.help()));
            if (o.defaultValue() != null) {
                out.append(" Default: ").append(o.defaultValue()).append('.');
            }
            out.append('\n');
        }
        out.append("  (or --conf spark.trades.<name>=<value> for these, as for the streaming job)\n");
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
        return opsJdbcUrl == null ? Optional.empty() : Optional.of(new OpsDatabase(opsJdbcUrl, opsUser, opsPassword));
    }

    @Override
    public String toString() {
        return "DayJobSettings{command=" + (command == null ? null : command.label) + ", day=" + day
                + ", ops=" + opsJdbcUrl + " as " + opsUser + (opsPassword == null ? "" : " (password ****)")
                + ", kafka-margin=" + kafkaMargin + ", " + connections + "}";
    }
}
