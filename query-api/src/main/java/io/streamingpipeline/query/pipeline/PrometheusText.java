package io.streamingpipeline.query.pipeline;

import java.util.OptionalDouble;

/** Reads one metric out of a Prometheus text exposition: the sum of all its series. */
final class PrometheusText {

    private PrometheusText() {}

    static OptionalDouble sum(String text, String metric) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            char next = line.length() > metric.length() ? line.charAt(metric.length()) : ' ';
            if (next != ' ' && next != '{') {
                continue;
            }
            int valueStart = next == '{' ? line.indexOf('}', metric.length()) + 1 : metric.length();
            if (valueStart <= 0) {
                continue;
            }
            String[] parts = line.substring(valueStart).strip().split("\\s+");
            try {
                sum += Double.parseDouble(parts[0]);
                found = true;
            } catch (NumberFormatException e) {
                // NaN written oddly, or garbage: skip the line
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
