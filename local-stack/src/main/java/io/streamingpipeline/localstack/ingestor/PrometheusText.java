package io.streamingpipeline.localstack.ingestor;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scrape in the Prometheus text format, with look-ups by metric name and one label. */
public final class PrometheusText {

    private static final Pattern LE = Pattern.compile("\\ble=\"([^\"]+)\"");

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

    /**
     * The {@code q}-quantile of the observations a histogram made between {@code earlier} and this scrape, from the
     * difference of its cumulative {@code <name>_bucket} counts, interpolated within a bucket as Prometheus'
     * {@code histogram_quantile} does; NaN when it observed nothing in between.
     */
    public double quantileSince(PrometheusText earlier, String name, double q) {
        TreeMap<Double, Double> now = buckets(name);
        TreeMap<Double, Double> then = earlier.buckets(name);
        double total = now.lastEntry() == null ? 0 : now.lastEntry().getValue() - then.getOrDefault(now.lastKey(), 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double countBelow = 0;
        for (Map.Entry<Double, Double> bucket : now.entrySet()) {
            double count = bucket.getValue() - then.getOrDefault(bucket.getKey(), 0.0);
            if (count >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = count - countBelow;
                return inBucket <= 0
                        ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - countBelow) / inBucket;
            }
            lowerBound = bucket.getKey();
            countBelow = count;
        }
        return lowerBound;
    }

    /** Cumulative counts of {@code <name>_bucket} by upper bound, summed over the other labels. */
    private TreeMap<Double, Double> buckets(String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name + "_bucket") + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE)
                .matcher(text);
        TreeMap<Double, Double> buckets = new TreeMap<>();
        while (m.find()) {
            Matcher le = LE.matcher(m.group(1));
            if (le.find()) {
                double bound = le.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le.group(1));
                buckets.merge(bound, Double.parseDouble(m.group(2)), Double::sum);
            }
        }
        return buckets;
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
