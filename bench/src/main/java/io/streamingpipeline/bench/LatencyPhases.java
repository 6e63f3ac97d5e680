package io.streamingpipeline.bench;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * bench/latency's phases, one per rate, on a running pipeline: a {@link FeedUnderTest} of the phase's own (simulators,
 * mux, a packaged ingestor), the warm-up, the job's catch-up, the measured window, the drain of the probe rows; between
 * two rates, the job's catch-up with Kafka. bench/capacity's steps run on one feed instead ({@link #runSteps}).
 */
final class LatencyPhases {

    private final LatencyOptions o;
    private final Path work;

    LatencyPhases(LatencyOptions o, Path work) {
        this.o = o;
        this.work = work;
    }

    void runPhases(PipelineUnderTest stack, List<Integer> rates, List<PhaseResult> results) {
        for (int i = 0; i < rates.size(); i++) {
            PhaseResult r = runPhase(stack, rates.get(i));
            results.add(r);
            r.print();
            if (i < rates.size() - 1) {
                awaitCatchUp(stack);
            }
        }
    }

    PhaseResult runPhase(PipelineUnderTest stack, int rate) {
        printHeader(stack, rate);
        long phaseStart = System.currentTimeMillis();
        try (FeedUnderTest feed = FeedUnderTest.start(o, work, stack, rate, (stack.floor() ? "floor-" : "") + rate)) {
            Window w = warmUpAndMeasure(stack, feed, rate, o.warmup);
            feed.stop();

            // Loss is counted over every probe trade of the phase, not the window's: a window bound falls between the
            // simulator's counter and the trade times it stamps (up to 40 ms early), which moved a trade or two across.
            long probeSentInPhase = feed.probe.groundTruth().totalTrades();
            long phaseProbesFrom = phaseStart - 100;
            long drainedAt = drain(
                    stack,
                    w,
                    () -> stack.tracker()
                                    .probesBetween(phaseProbesFrom, Long.MAX_VALUE)
                                    .size()
                            >= probeSentInPhase);
            return w.result(
                    stack,
                    rate,
                    drainedAt,
                    probeSentInPhase,
                    stack.tracker()
                            .probesBetween(phaseProbesFrom, Long.MAX_VALUE)
                            .size());
        }
    }

    /**
     * bench/capacity's steps, on one feed and ingestor that stay up from the first step to the last: each step changes
     * the feed's rate on the open connection, as a busier market does, warms up ({@code firstWarmup}, then
     * {@code stepWarmup}), waits for the job to catch up, measures its window and waits for the window's probe rows
     * while the feed goes on. {@code keptUp} decides after each step whether the next one runs.
     */
    List<PhaseResult> runSteps(
            PipelineUnderTest stack,
            List<Integer> rates,
            Duration firstWarmup,
            Duration stepWarmup,
            Predicate<PhaseResult> keptUp) {
        List<PhaseResult> results = new ArrayList<>();
        try (FeedUnderTest feed = FeedUnderTest.start(o, work, stack, rates.get(0), "steps")) {
            for (int rate : rates) {
                printHeader(stack, rate);
                feed.changeRate(rate);
                Window w = warmUpAndMeasure(stack, feed, rate, results.isEmpty() ? firstWarmup : stepWarmup);
                // The window's probe trades by their trade time: with the feed going on there is no phase to count
                // over, and the drain waits until every one the simulator delivered is in Kafka (or the timeout).
                long delivered = feed.probeDeliveredBetween(w.start, w.end);
                long drainedAt = drain(
                        stack,
                        w,
                        () -> stack.tracker().probesBetween(w.start, w.end).size() >= delivered);
                PhaseResult r = w.result(
                        stack,
                        rate,
                        drainedAt,
                        delivered,
                        stack.tracker().probesBetween(w.start, w.end).size());
                r.step = true;
                results.add(r);
                if (!keptUp.test(r)) {
                    break;
                }
            }
            feed.stop();
        }
        return results;
    }

    private void printHeader(PipelineUnderTest stack, int rate) {
        System.out.printf(
                Locale.ROOT,
                "--- %s: %,d trades/s (%,d load over %d symbols + %d probe) ---%n",
                stack.name(),
                rate,
                rate - o.probeRate,
                IngestBenchmark.SYMBOLS.size(),
                o.probeRate);
    }

    /** What a measured window saw; {@link #result} adds the probe rows found by the end of the drain. */
    private record Window(
            long start,
            long end,
            PhaseCounters before,
            PhaseCounters after,
            String load,
            String cores,
            List<Double> batchDurations,
            long lostInIngestor) {

        PhaseResult result(PipelineUnderTest stack, int rate, long drainedAt, long probeSent, int probeInKafka) {
            double storedAtDrain = stack.rowsWritten(stack.metrics());
            PhaseResult r = PhaseResult.of(
                    rate, stack.tracker(), start, end, drainedAt, before, after, lostInIngestor, batchDurations, load);
            r.floor = stack.floor();
            r.storedThroughDrainPerS = (storedAtDrain - before.stored()) / ((drainedAt - start) / 1000.0);
            r.probeSentInPhase = probeSent;
            r.probeInKafkaInPhase = probeInKafka;
            r.cores = cores;
            return r;
        }
    }

    /**
     * The job's first batches if it has not run yet, the warm-up, the wait for the job to catch up, the measured
     * window. The ingestor's losses are counted from the warm-up's start.
     */
    private Window warmUpAndMeasure(PipelineUnderTest stack, FeedUnderTest feed, int rate, Duration warmup) {
        double lostBefore = PhaseCounters.ingestorMetrics(feed.ingestor).value("ingestor_trades_lost_total");
        if (stack.tracker().latestEndToEndMillis() < 0) {
            // the job's first micro-batches (class loading, code generation, connections) are not the steady state
            long t0 = System.nanoTime();
            long flowDeadline = t0 + Duration.ofMinutes(5).toNanos();
            while (stack.tracker().latestEndToEndMillis() < 0 && System.nanoTime() < flowDeadline) {
                stack.tracker().check();
                checkAlive(stack);
                Pause.millis(200);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  first probe row at the sink after %.1f s (the %s's first batches)%n",
                    (System.nanoTime() - t0) / 1e9,
                    stack.name());
        }
        System.out.printf(Locale.ROOT, "  warm-up %d s%n", warmup.toSeconds());
        progress(stack, feed, warmup, "warm-up");
        awaitCaughtUp(stack, feed, rate);

        ProcessCpu cpu = stack.cpu(feed.ingestor);
        long windowStart = System.currentTimeMillis();
        PhaseCounters before = feed.counters(stack);
        String loadBefore = Machine.loadAverage();
        ProcessCpu.Sample cpuBefore = cpu.sample();
        PrometheusText jobBefore = stack.floor() ? null : stack.metrics();
        List<Double> batchDurations = progress(stack, feed, o.duration, "measure");
        long windowEnd = System.currentTimeMillis();
        if (jobBefore != null) {
            System.out.println("  " + sinkWriteTimes(jobBefore, stack.metrics()));
        }
        PhaseCounters after = feed.counters(stack);
        String loadAfter = Machine.loadAverage();
        String cores = cpu.sample().coresSince(cpuBefore);
        PrometheusText ingestorMetrics = PhaseCounters.ingestorMetrics(feed.ingestor);
        System.out.printf(
                Locale.ROOT,
                "  the ingestor held the feed %.0f time(s), %.1f s in all, while Kafka caught up (since it started)%n",
                ingestorMetrics.value("ingestor_feed_holds_total"),
                ingestorMetrics.value("ingestor_feed_held_seconds_total"));
        return new Window(
                windowStart, windowEnd, before, after, loadBefore + " -> " + loadAfter, cores, batchDurations, (long)
                        (ingestorMetrics.value("ingestor_trades_lost_total") - lostBefore));
    }

    /**
     * Waits (up to --drain-timeout) until every probe row of the window is in the sink and {@code allInKafka} holds;
     * returns when it stopped waiting.
     */
    private long drain(PipelineUnderTest stack, Window w, BooleanSupplier allInKafka) {
        long drainDeadline = System.currentTimeMillis() + o.drainTimeout.toMillis();
        int unseen;
        while (((unseen = unseen(stack.tracker(), w.start, w.end)) > 0 || !allInKafka.getAsBoolean())
                && System.currentTimeMillis() < drainDeadline) {
            stack.tracker().check();
            checkAlive(stack);
            Pause.millis(250);
        }
        long drainedAt = System.currentTimeMillis();
        System.out.printf(
                Locale.ROOT,
                "  drain: %s %.1f s after the window%n",
                unseen == 0 ? "all probe rows of the window in Cassandra" : unseen + " probe rows still missing",
                (drainedAt - w.end) / 1000.0);
        return drainedAt;
    }

    /**
     * The job's first batches (JIT, code generation, connections) leave a backlog; the window measures the steady
     * state, so it starts once the job is within 2 s of input behind Kafka, or after --catch-up-timeout.
     */
    private void awaitCaughtUp(PipelineUnderTest stack, FeedUnderTest feed, int rate) {
        long start = System.nanoTime();
        long deadline = start + o.catchUpTimeout.toNanos();
        long allowed = 2L * rate;
        long backlog;
        while ((backlog = feed.counters(stack).backlog()) > allowed && System.nanoTime() < deadline) {
            progress(stack, feed, Duration.ofSeconds(5), "catch-up");
        }
        boolean caughtUp = backlog <= allowed;
        System.out.printf(
                Locale.ROOT,
                "  %s after %.0f s more (backlog %,d records, %s %,d = 2 s of input)%n",
                caughtUp ? "job caught up" : "job NOT caught up; measuring anyway",
                (System.nanoTime() - start) / 1e9,
                backlog,
                caughtUp ? "<=" : ">",
                allowed);
    }

    private static int unseen(ProbeTracker tracker, long from, long to) {
        int n = 0;
        for (ProbeTracker.KafkaProbe p : tracker.probesBetween(from, to)) {
            if (tracker.seenInSink(p.id()) == null) {
                n++;
            }
        }
        return n;
    }

    /** The job's mean write time per batch and sink between two scrapes of its metrics. */
    private static String sinkWriteTimes(PrometheusText before, PrometheusText after) {
        StringBuilder line = new StringBuilder("job write time per batch over the window:");
        for (String sink :
                List.of(CassandraSchema.TRADES_TABLE, CassandraSchema.CANDLES_TABLE, TradeContract.DEAD_LETTER_TOPIC)) {
            double count = after.value("trades_job_sink_write_seconds_count", "sink", sink)
                    - before.value("trades_job_sink_write_seconds_count", "sink", sink);
            double sum = after.value("trades_job_sink_write_seconds_sum", "sink", sink)
                    - before.value("trades_job_sink_write_seconds_sum", "sink", sink);
            line.append(String.format(
                    Locale.ROOT,
                    " %s %s",
                    sink,
                    count > 0 ? String.format(Locale.ROOT, "%.0f ms", sum * 1000 / count) : "-"));
        }
        return line.toString();
    }

    /** Sleeps {@code length}, printing a line every 10 s; returns the durations (s) of the trades query's batches seen. */
    private List<Double> progress(PipelineUnderTest stack, FeedUnderTest feed, Duration length, String what) {
        List<Double> batchDurations = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long nextLine = start + Duration.ofSeconds(10).toNanos();
        double lastBatch = -1;
        PhaseCounters last = feed.counters(stack);
        long lastAt = System.nanoTime();
        while (System.nanoTime() < end) {
            Pause.millis(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            stack.tracker().check();
            checkAlive(stack);
            if (!feed.ingestor.isAlive()) {
                throw new IllegalStateException(
                        "the ingestor exited; its log ends with:\n" + feed.ingestor.logTail(30));
            }
            PrometheusText jobMetrics = stack.metrics();
            double batchId = stack.lastBatchId(jobMetrics);
            if (batchId != lastBatch) {
                batchDurations.add(stack.lastBatchSeconds(jobMetrics));
                lastBatch = batchId;
            }
            if (System.nanoTime() >= nextLine || System.nanoTime() >= end) {
                PhaseCounters now = feed.counters(stack);
                double s = (System.nanoTime() - lastAt) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "  [%s %3ds] delivered %,.0f/s  published %,.0f/s  stored %,.0f/s  "
                                + "backlog %,d  last batch %.2f s  latest probe e2e %d ms  load %s%n",
                        what,
                        Duration.ofNanos(System.nanoTime() - start).toSeconds(),
                        (now.delivered() - last.delivered()) / s,
                        (now.published() - last.published()) / s,
                        (now.stored() - last.stored()) / s,
                        now.backlog(),
                        stack.lastBatchSeconds(jobMetrics),
                        stack.tracker().latestEndToEndMillis(),
                        Machine.loadAverage());
                last = now;
                lastAt = System.nanoTime();
                nextLine += Duration.ofSeconds(10).toNanos();
            }
        }
        return batchDurations;
    }

    /** Before the next rate: until the job wrote as many rows as Kafka holds, or the drain timeout. */
    void awaitCatchUp(PipelineUnderTest stack) {
        long deadline = System.nanoTime() + o.drainTimeout.toNanos();
        long inKafka;
        double stored;
        do {
            inKafka = stack.kafka().endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            stored = stack.rowsWritten(stack.metrics());
            if (stored >= inKafka) {
                return;
            }
            Pause.millis(500);
        } while (System.nanoTime() < deadline);
        System.out.printf(
                Locale.ROOT,
                "  (the job is still %,d records behind Kafka; the next rate starts with that backlog)%n",
                (long) (inKafka - stored));
    }

    private static void checkAlive(PipelineUnderTest stack) {
        if (!stack.job().isAlive()) {
            throw new IllegalStateException("the " + stack.name() + " exited; its log ends with:\n"
                    + stack.job().logTail(30));
        }
        if (!stack.kafka().isRunning()) {
            throw new IllegalStateException("Kafka exited; see " + stack.kafka().logFile());
        }
    }
}
