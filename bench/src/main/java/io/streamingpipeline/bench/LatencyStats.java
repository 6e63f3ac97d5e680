package io.streamingpipeline.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles (nearest rank) of latencies in ms; {@code lowerBound} when some samples are only lower bounds. */
record LatencyStats(int n, long p50, long p99, long max, boolean lowerBound) {
    static LatencyStats of(long[] values, boolean lowerBound) {
        if (values.length == 0) {
            return new LatencyStats(0, -1, -1, -1, lowerBound);
        }
        long[] v = values.clone();
        Arrays.sort(v);
        return new LatencyStats(v.length, rank(v, 0.50), rank(v, 0.99), v[v.length - 1], lowerBound);
    }

    private static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    String text() {
        String ge = lowerBound ? ">=" : "";
        return n == 0 ? "n/a" : String.format(Locale.ROOT, "p50 %s%d  p99 %s%d  max %s%d", ge, p50, ge, p99, ge, max);
    }
}
