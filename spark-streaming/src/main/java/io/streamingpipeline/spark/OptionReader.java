package io.streamingpipeline.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@link JobOption}s from the program arguments and the Spark conf: an argument wins over
 * {@code spark.trades.<name>}, that over the option's conf aliases, those over its default. Problems are collected,
 * not thrown one by one, so that a start fails once, naming everything to fix; a secret's value is never echoed.
 */
public final class OptionReader {

    private final Map<String, String> args = new LinkedHashMap<>();
    private final Map<String, List<String>> keyValueArgs = new LinkedHashMap<>();
    private final Map<String, String> conf;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param argv  {@code --name value}, {@code --name=value} or {@code --flag}, in any order
     * @param conf  the Spark conf as submitted
     * @param known the options that may be given; any other is reported as unknown
     */
    public OptionReader(String[] argv, Map<String, String> conf, List<JobOption<?>> known) {
        this.conf = conf == null ? Map.of() : conf;
        Map<String, JobOption<?>> byName = new LinkedHashMap<>();
        known.forEach(o -> byName.put(o.name(), o));
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
            JobOption<?> option = byName.get(name);
            if (option == null) {
                problems.add("unknown option --" + name);
                if (value == null && i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                    i++; // its value
                }
                continue;
            }
            if (option.kind() == JobOption.Kind.FLAG) {
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
            if (option.kind() == JobOption.Kind.KEY_VALUE) {
                keyValueArgs.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } else {
                args.put(name, value);
            }
        }
    }

    /** The text given for an option (argument, conf, conf aliases), else its default; null when there is none. */
    public String raw(JobOption<?> option) {
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

    /** Whether a value was given or defaulted (a blank one without a default does not count). */
    public boolean given(JobOption<?> option) {
        String text = raw(option);
        return text != null && !(text.isBlank() && option.defaultValue() == null);
    }

    /** The parsed value; null when not given, or when it does not parse (then a problem is recorded). */
    public <T> T value(JobOption<T> option) {
        if (!given(option)) {
            return null;
        }
        String text = raw(option);
        try {
            return option.parser().apply(text);
        } catch (IllegalArgumentException e) {
            boolean secret = option.kind() == JobOption.Kind.SECRET;
            problems.add("--" + option.name() + " must be " + e.getMessage() + (secret ? "" : ", was '" + text + "'"));
            return null;
        }
    }

    public boolean flag(JobOption<Boolean> option) {
        return Boolean.TRUE.equals(value(option));
    }

    /** Records a problem when the option is not given: {@code --name is required<when>: help. Set it with ...}. */
    public void require(JobOption<?> option, String when) {
        if (!given(option)) {
            problems.add("--" + option.name() + " is required" + when + ": " + option.help() + " Set it with --"
                    + option.name() + " <value> or --conf " + option.confKey() + "=<value>.");
        }
    }

    /** The {@code key=value} pairs of a repeatable option, from conf {@code spark.trades.<name>.<key>} and arguments. */
    public Map<String, String> keyValues(JobOption<String> option) {
        Map<String, String> pairs = new TreeMap<>();
        String prefix = option.confKey() + ".";
        conf.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                pairs.put(k.substring(prefix.length()), v);
            }
        });
        for (String keyValue : keyValueArgs.getOrDefault(option.name(), List.of())) {
            int eq = keyValue.indexOf('=');
            if (eq <= 0) {
                problems.add("--" + option.name() + " must be key=value, e.g. security.protocol=SSL");
            } else {
                pairs.put(keyValue.substring(0, eq).strip(), keyValue.substring(eq + 1));
            }
        }
        return Map.copyOf(pairs);
    }

    /** The stripped content of the file an option names; null when not given or unreadable (a problem then). */
    public String secretFile(JobOption<String> fileOption) {
        String file = value(fileOption);
        if (file == null) {
            return null;
        }
        try {
            String secret =
                    Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            if (secret.isEmpty()) {
                problems.add("--" + fileOption.name() + " names an empty file: " + file);
                return null;
            }
            return secret;
        } catch (IOException | RuntimeException e) {
            problems.add("--" + fileOption.name() + " cannot be read: " + file + " ("
                    + e.getClass().getSimpleName() + ")");
            return null;
        }
    }

    public void problem(String problem) {
        problems.add(problem);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** @throws InvalidSettingsException listing every problem recorded */
    public void failIfProblems() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }
}
