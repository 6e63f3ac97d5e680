package io.streamingpipeline.query.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads metrics out of a Prometheus text exposition: one metric summed over its series, or summed by one label. */
final class PrometheusText {

    private PrometheusText() {}

    /** One sample line: its labels (empty without braces) and value. */
    private record Sample(Map<String, String> labels, double value) {}

    static OptionalDouble sum(String text, String metric) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            Sample sample = sample(line, metric);
            if (sample != null) {
                sum += sample.value();
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /** The metric's series summed per value of {@code label}, in the order they appear; series without it skipped. */
    static Map<String, Double> sumByLabel(String text, String metric, String label) {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Sample sample = sample(line, metric);
            if (sample != null && sample.labels().containsKey(label)) {
                sums.merge(sample.labels().get(label), sample.value(), Double::sum);
            }
        }
        return sums;
    }

    /** The sample of {@code metric} on this line, or null (a comment, another metric, or unreadable). */
    private static Sample sample(String line, String metric) {
        if (line.startsWith("#") || !line.startsWith(metric)) {
            return null;
        }
        int at = metric.length();
        char next = line.length() > at ? line.charAt(at) : ' ';
        Map<String, String> labels = new LinkedHashMap<>();
        if (next == '{') {
            at = labels(line, at + 1, labels);
            if (at < 0) {
                return null;
            }
        } else if (next != ' ') {
            return null; // a longer name with this prefix
        }
        String[] parts = line.substring(at).strip().split("\\s+");
        try {
            return new Sample(labels, Double.parseDouble(parts[0]));
        } catch (NumberFormatException e) {
            return null; // NaN written oddly, or garbage: skip the line
        }
    }

    /**
     * Reads {@code name="value",...}} from {@code start} (after the brace) into {@code labels}; returns the index
     * after the closing brace, or -1 if the line is malformed. Values may hold escaped quotes and backslashes.
     */
    private static int labels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '}') {
                return i + 1;
            }
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            String name = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            i = eq + 2;
            while (i < line.length() && line.charAt(i) != '"') {
                char v = line.charAt(i);
                if (v == '\\' && i + 1 < line.length()) {
                    char escaped = line.charAt(++i);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(v);
                }
                i++;
            }
            if (i >= line.length()) {
                return -1;
            }
            labels.put(name, value.toString());
            i++; // the closing quote
        }
        return -1;
    }
}
