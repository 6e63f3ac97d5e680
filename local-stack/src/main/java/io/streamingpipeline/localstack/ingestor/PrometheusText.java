package io.streamingpipeline.localstack.ingestor;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scrape in the Prometheus text format, with look-ups by metric name and one label. */
public final class PrometheusText {

    private final String text;

    public PrometheusText(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** The sum over all samples of {@code name} (whatever their labels); 0 when absent. */
    public double value(String name) {
        return sum(Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE));
    }

    /** The sum over the samples of {@code name} that carry {@code label="value"}; 0 when absent. */
    public double value(String name, String label, String value) {
        return sum(Pattern.compile(
                "^" + Pattern.quote(name) + "\\{[^}]*\\b" + Pattern.quote(label + "=\"" + value + "\"")
                        + "[^}]*} (\\S+)$",
                Pattern.MULTILINE));
    }

    private double sum(Pattern p) {
        Matcher m = p.matcher(text);
        double total = 0;
        while (m.find()) {
            String v = m.group(m.groupCount());
            try {
                double d = Double.parseDouble(v);
                if (!Double.isNaN(d)) {
                    total += d;
                }
            } catch (NumberFormatException notASample) {
                // e.g. a timestamp-less line we do not understand: skip it
            }
        }
        return total;
    }
}
