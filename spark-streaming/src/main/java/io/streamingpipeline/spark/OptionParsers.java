package io.streamingpipeline.spark;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parsers of the jobs' option values: each returns the value or throws saying what is expected. */
public final class OptionParsers {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9_.\\-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+]:\\d{1,5}");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._\\-]{1,249}");

    private OptionParsers() {}

    /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 30d}, or ISO-8601 such as {@code PT10S}. */
    public static Duration duration(String text) {
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

    public static Duration positiveDuration(String text) {
        Duration d = duration(text);
        if (d.isZero()) {
            throw new IllegalArgumentException("a duration greater than 0, such as 1s");
        }
        return d;
    }

    public static String nonBlank(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("a non-empty value");
        }
        return text.strip();
    }

    public static String bootstrapServers(String text) {
        for (String server : text.split(",")) {
            if (!HOST_PORT.matcher(server.strip()).matches()) {
                throw new IllegalArgumentException("host:port[,host:port...], e.g. kafka:9092");
            }
        }
        return text.strip();
    }

    public static String hosts(String text) {
        for (String host : text.split(",")) {
            if (host.isBlank() || host.strip().contains(" ")) {
                throw new IllegalArgumentException("host[,host...], e.g. cassandra-0.cassandra,cassandra-1.cassandra");
            }
        }
        return text.strip();
    }

    public static String topic(String text) {
        if (!TOPIC_NAME.matcher(text.strip()).matches()) {
            throw new IllegalArgumentException("a Kafka topic name (letters, digits, '.', '_', '-')");
        }
        return text.strip();
    }

    public static String startingOffsets(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("earliest") || t.equalsIgnoreCase("latest")) {
            return t.toLowerCase(Locale.ROOT);
        }
        if (t.startsWith("{") && t.endsWith("}")) {
            return t;
        }
        throw new IllegalArgumentException("earliest, latest, or a JSON map such as {\"crypto_trades\":{\"0\":42}}");
    }

    public static long recordLimit(String text) {
        try {
            long n = Long.parseLong(text.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("a number of records (0 = no limit) >= 0");
    }

    public static int port(String text) {
        return port(text, false);
    }

    /** A port, or 0 (any free port) or -1 (off). */
    public static int portOrOff(String text) {
        return port(text, true);
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

    public static boolean bool(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("true or false");
        };
    }

    public static LocalDate day(String text) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a date YYYY-MM-DD");
        }
    }

    public static String postgresJdbcUrl(String text) {
        String url = text.strip();
        if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "a PostgreSQL JDBC URL such as jdbc:postgresql://postgres:5432/pipeline_ops");
        }
        return url;
    }
}
