package io.streamingpipeline.spark;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One option of the jobs, declared once: given as {@code --name value} or as Spark conf
 * {@code spark.trades.<name>=value} (or one of its conf aliases), parsed by {@code parser}, which throws an
 * {@link IllegalArgumentException} saying what is expected. A blank value of an option without a default counts as
 * not given.
 *
 * @param defaultValue the text used when nothing is given; null: none
 * @param confAliases  other conf keys read after {@code spark.trades.<name>}, e.g. the connector's own
 */
public record JobOption<T>(
        String name,
        Kind kind,
        String defaultValue,
        Function<String, T> parser,
        String help,
        List<String> confAliases) {

    /** Prefix of the Spark conf keys of the jobs: {@code spark.trades.<option>}. */
    public static final String CONF_PREFIX = "spark.trades.";

    /** How an option is given and shown. */
    public enum Kind {
        /** {@code --name value}. */
        VALUE,
        /** {@code --name value}, never echoed in a message or a log. */
        SECRET,
        /** {@code --name} alone. */
        FLAG,
        /** Repeatable {@code --name key=value}, or conf {@code spark.trades.<name>.<key>=value}. */
        KEY_VALUE
    }

    public static <T> JobOption<T> value(
            String name, String defaultValue, Function<String, T> parser, String help, String... confAliases) {
        return new JobOption<>(name, Kind.VALUE, defaultValue, parser, help, List.of(confAliases));
    }

    public static JobOption<String> secret(String name, String help, String... confAliases) {
        return new JobOption<>(name, Kind.SECRET, null, Function.identity(), help, List.of(confAliases));
    }

    public static JobOption<Boolean> flag(String name, String help) {
        return new JobOption<>(name, Kind.FLAG, null, OptionParsers::bool, help, List.of());
    }

    public static JobOption<String> keyValue(String name, String help) {
        return new JobOption<>(name, Kind.KEY_VALUE, null, Function.identity(), help, List.of());
    }

    public String confKey() {
        return CONF_PREFIX + name;
    }

    /** Its line in {@code --help}: name, help, default, conf keys. */
    public String usageLine() {
        String given = switch (kind) {
            case FLAG -> "";
            case KEY_VALUE -> " <key=value>";
            default -> " <value>";
        };
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  --%-30s %s", name + given, help));
        if (defaultValue != null) {
            line.append(" Default: ").append(defaultValue).append('.');
        }
        if (kind != Kind.FLAG) {
            line.append(" Conf: ").append(confKey()).append(kind == Kind.KEY_VALUE ? ".<key>" : "");
            confAliases.forEach(alias -> line.append(", ").append(alias));
            line.append('.');
        }
        return line.toString();
    }
}
