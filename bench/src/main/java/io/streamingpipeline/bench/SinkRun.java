package io.streamingpipeline.bench;

/**
 * What bench/sink saw of the job: when it came up, when its written rows first reached the warm-up's count (with no
 * warm-up: its first batch) and the last row; its counters then.
 *
 * @param batches the job's batches that wrote trades after the one that reached the warm-up's count
 */
record SinkRun(
        long submitNanos,
        long liveNanos,
        long firstNanos,
        long firstRows,
        long doneNanos,
        long total,
        int batches,
        double candles,
        double rejected) {
    long steadyRows() {
        return total - firstRows;
    }

    double steadySeconds() {
        return (doneNanos - firstNanos) / 1e9;
    }

    /** After the warm-up; falls back to the rate from the job's start when one batch wrote everything measured. */
    double steadyRate() {
        return steadyRows() > 0 ? steadyRows() / steadySeconds() : fromStartRate();
    }

    double fromStartSeconds() {
        return (doneNanos - liveNanos) / 1e9;
    }

    double fromStartRate() {
        return total / fromStartSeconds();
    }
}
