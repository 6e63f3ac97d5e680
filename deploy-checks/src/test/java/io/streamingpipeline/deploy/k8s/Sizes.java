package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations and sizes as the job's options and Spark's settings write them. */
final class Sizes {

    private Sizes() {}

    static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(duration.strip());
        assertThat(m.matches()).as("duration %s", duration).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n / 1000;
            case "s" -> n;
            case "m" -> n * 60;
            default -> n * 3600;
        };
    }

    /** Spark/JVM sizes: 512m, 1g, 3g. */
    static long bytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([kmgt])").matcher(size.strip().toLowerCase(Locale.ROOT));
        assertThat(m.matches()).as("size %s", size).isTrue();
        long n = Long.parseLong(m.group(1));
        return n
                << switch (m.group(2)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 40;
                };
    }
}
