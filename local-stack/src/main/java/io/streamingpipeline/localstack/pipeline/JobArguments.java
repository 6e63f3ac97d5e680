package io.streamingpipeline.localstack.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of one job launch ({@link TradesJobLaunch}, {@link DayJobLaunch}), each under the name the job
 * declares: the enum constant {@code BOOTSTRAP_SERVERS} is {@code --bootstrap-servers}. Rendered in the enum's order.
 */
final class JobArguments<O extends Enum<O>> {

    private final Class<O> type;
    /** Value of each option set; null for a flag. */
    private final Map<O, String> values;

    JobArguments(Class<O> options) {
        this.type = options;
        this.values = new EnumMap<>(options);
    }

    /** The name the job declares {@code option} under, without {@code --}. */
    static String jobName(Enum<?> option) {
        return option.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    void set(O option, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + jobName(option) + " needs a value, was '" + value + "'");
        }
        values.put(option, value);
    }

    /** The Cassandra options, which every job declares under the same names ({@code CASSANDRA_HOST}, ...). */
    void cassandra(String host, int port, String datacenter, String username, Path passwordFile) {
        set(Enum.valueOf(type, "CASSANDRA_HOST"), host);
        set(Enum.valueOf(type, "CASSANDRA_PORT"), Integer.toString(port));
        set(Enum.valueOf(type, "CASSANDRA_LOCAL_DC"), datacenter);
        set(Enum.valueOf(type, "CASSANDRA_USERNAME"), username);
        set(Enum.valueOf(type, "CASSANDRA_PASSWORD_FILE"), passwordFile.toString());
    }

    void flag(O option) {
        values.put(option, null);
    }

    /** {@code --name value} (a flag alone) for every option set. */
    List<String> render() {
        List<String> args = new ArrayList<>();
        values.forEach((option, value) -> {
            args.add("--" + jobName(option));
            if (value != null) {
                args.add(value);
            }
        });
        return args;
    }
}
