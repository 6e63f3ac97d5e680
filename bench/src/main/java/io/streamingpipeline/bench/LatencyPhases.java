package io.streamingpipeline.bench;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.LogTail;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * bench/latency's phases, one per rate, on a running pipeline: a load simulator and the probe simulator through a
 * {@link FeedMux}, a packaged ingestor of the phase's own, the warm-up, the job's catch-up, the measured window, the
 * drain of the probe rows; between two rates, the job's catch-up with Kafka.
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
        System.out.printf(
                Locale.ROOT,
                "--- %s: %,d trades/s (%,d load over %d symbols + %d probe) ---%n",
                stack.name(),
                rate,
                rate - o.probeRate,
                IngestBenchmark.SYMBOLS.size(),
                o.probeRate);
        int loadRate = rate - o.probeRate;
        FeedSimulator load = FeedSimulator.start(SimulatorConfig.defaults()
                .withSeed(System.currentTimeMillis())
                .withTradesPerSecond(loadRate)
                .withTradesPerFrame(Math.max(1, Math.min(100, loadRate / 50)))
                .withPingInterval(Duration.ofSeconds(30))
                .withDuplicateProbability(0));
        long phaseStart = System.currentTimeMillis();
        FeedSimulator probe = FeedSimulator.start(SimulatorConfig.defaults()
                .withSeed(7)
                .withTradesPerSecond(o.probeRate)
                .withTradesPerFrame(1)
                .withPingInterval(Duration.ofSeconds(30))
                .withDuplicateProbability(0));
        FeedMux mux = FeedMux.start(load.uri(), probe.uri(), LatencyBenchmark.PROBE_SYMBOL);
        List<String> symbols = new ArrayList<>(IngestBenchmark.SYMBOLS);
        symbols.add(LatencyBenchmark.PROBE_SYMBOL);
        IngestorProcess ingestor = null;
        try {
            ingestor = startIngestor(stack, mux, symbols, (stack.floor() ? "floor-" : "") + rate);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ingestor.status("/q/health/ready") != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ingestor not ready:\n" + LogTail.of(ingestor.logFile(), 30));
                }
                Pause.millis(200);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  ingestor ready in %.1f s (pid %d)%n",
                    ingestor.startDuration().toMillis() / 1000.0,
                    ingestor.pid());
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
            System.out.printf(Locale.ROOT, "  warm-up %d s%n", o.warmup.toSeconds());
            progress(stack, ingestor, load, probe, o.warmup, "warm-up");
            awaitCaughtUp(stack, ingestor, load, probe, rate);

            ProcessCpu cpu = stack.cpu(ingestor);
            long windowStart = System.currentTimeMillis();
            PhaseCounters before = PhaseCounters.read(stack, ingestor, load, probe);
            String loadBefore = Machine.loadAverage();
            ProcessCpu.Sample cpuBefore = cpu.sample();
            PrometheusText jobBefore = stack.floor() ? null : stack.metrics();
            List<Double> batchDurations = progress(stack, ingestor, load, probe, o.duration, "measure");
            long windowEnd = System.currentTimeMillis();
            if (jobBefore != null) {
                System.out.println("  " + sinkWriteTimes(jobBefore, stack.metrics()));
            }
            PhaseCounters after = PhaseCounters.read(stack, ingestor, load, probe);
            String loadAfter = Machine.loadAverage();
            String cores = cpu.sample().coresSince(cpuBefore);
            PrometheusText ingestorMetrics = PhaseCounters.ingestorMetrics(ingestor);
            long lostInIngestor = (long) ingestorMetrics.value("ingestor_trades_lost_total");
            System.out.printf(
                    Locale.ROOT,
                    "  the ingestor held the feed %.0f time(s), %.1f s in all, while Kafka caught up (phase so far)%n",
                    ingestorMetrics.value("ingestor_feed_holds_total"),
                    ingestorMetrics.value("ingestor_feed_held_seconds_total"));

            // the feed first (the ingestor may still hold a queue of received frames), then SIGTERM: flush to Kafka.
            // The probe simulator before the mux: it counts a trade as delivered once written to its socket, so the
            // mux must forward what it has read; closing the mux first lost a probe trade now and then ("1 lost before
            // Kafka" in some runs, with the ingestor's own loss counter at 0).
            probe.close();
            if (!mux.awaitSessionsClosed(Duration.ofSeconds(10))) {
                System.out.println("  (the feed mux still had a connection 10 s after the probe simulator closed)");
            }
            load.close();
            mux.close();
            try {
                ingestor.terminate(Duration.ofSeconds(60));
            } catch (IllegalStateException killed) {
                System.out.println(
                        "  (the ingestor did not stop within 60 s of SIGTERM, still working through the frames it had"
                                + " received; killed: what it held is lost)");
            }
            ingestor = null;

            // Loss is counted over every probe trade of the phase, not the window's: a window bound falls between the
            // simulator's counter and the trade times it stamps (up to 40 ms early), which moved a trade or two across.
            long probeSentInPhase = probe.groundTruth().totalTrades();
            long phaseProbesFrom = phaseStart - 100;
            long drainDeadline = System.currentTimeMillis() + o.drainTimeout.toMillis();
            int unseen;
            while (((unseen = unseen(stack.tracker(), windowStart, windowEnd)) > 0
                            || stack.tracker()
                                            .probesBetween(phaseProbesFrom, Long.MAX_VALUE)
                                            .size()
                                    < probeSentInPhase)
                    && System.currentTimeMillis() < drainDeadline) {
                stack.tracker().check();
                checkAlive(stack);
                Pause.millis(250);
            }
            long drainedAt = System.currentTimeMillis();
            double storedAtDrain = stack.rowsWritten(stack.metrics());
            System.out.printf(
                    Locale.ROOT,
                    "  drain: %s %.1f s after the window%n",
                    unseen == 0 ? "all probe rows of the window in Cassandra" : unseen + " probe rows still missing",
                    (drainedAt - windowEnd) / 1000.0);
            PhaseResult result = PhaseResult.of(
                    rate,
                    stack.tracker(),
                    windowStart,
                    windowEnd,
                    drainedAt,
                    before,
                    after,
                    lostInIngestor,
                    batchDurations,
                    loadBefore + " -> " + loadAfter);
            result.floor = stack.floor();
            result.storedThroughDrainPerS = (storedAtDrain - before.stored()) / ((drainedAt - windowStart) / 1000.0);
            result.probeSentInPhase = probeSentInPhase;
            result.probeInKafkaInPhase = stack.tracker()
                    .probesBetween(phaseProbesFrom, Long.MAX_VALUE)
                    .size();
            result.cores = cores;
            return result;
        } finally {
            if (ingestor != null) {
                ingestor.kill();
            }
            mux.close();
            probe.close();
            load.close();
        }
    }

    /**
     * The packaged ingestor on a free HTTP port; tried again (up to 3 times) when another process took the port between
     * its pick and the ingestor's bind, which happens on a machine this busy.
     */
    private IngestorProcess startIngestor(PipelineUnderTest stack, FeedMux mux, List<String> symbols, String logName) {
        for (int attempt = 1; ; attempt++) {
            try {
                return IngestorProcess.builder(o.ingestorApp)
                        .log(work.resolve("ingestor-" + logName + (attempt > 1 ? "-" + attempt : "") + ".log"))
                        .jvmOptions(o.ingestorJvm.trim().split("\\s+"))
                        .env(
                                TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS,
                                stack.kafka().bootstrapServers())
                        .env("FINNHUB_URL", mux.uri().toString())
                        .env(TradeContract.Env.FINNHUB_TOKEN, "bench")
                        .env("FINNHUB_SYMBOLS", String.join(",", symbols))
                        .env("MP_MESSAGING_OUTGOING_TRADES_LINGER_MS", o.lingerMs)
                        .start();
            } catch (EngineStartException e) {
                if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains("in use")) {
                    throw e;
                }
                System.out.println("  (the ingestor's HTTP port was taken before it bound it; starting it again)");
            }
        }
    }

    /**
     * The job's first batches (JIT, code generation, connections) leave a backlog; the window measures the steady
     * state, so it starts once the job is within 2 s of input behind Kafka, or after --catch-up-timeout.
     */
    private void awaitCaughtUp(
            PipelineUnderTest stack, IngestorProcess ingestor, FeedSimulator load, FeedSimulator probe, int rate) {
        long start = System.nanoTime();
        long deadline = start + o.catchUpTimeout.toNanos();
        long allowed = 2L * rate;
        long backlog;
        while ((backlog = PhaseCounters.read(stack, ingestor, load, probe).backlog()) > allowed
                && System.nanoTime() < deadline) {
            progress(stack, ingestor, load, probe, Duration.ofSeconds(5), "catch-up");
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
    private List<Double> progress(
            PipelineUnderTest stack,
            IngestorProcess ingestor,
            FeedSimulator load,
            FeedSimulator probe,
            Duration length,
            String what) {
        List<Double> batchDurations = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long nextLine = start + Duration.ofSeconds(10).toNanos();
        double lastBatch = -1;
        PhaseCounters last = PhaseCounters.read(stack, ingestor, load, probe);
        long lastAt = System.nanoTime();
        while (System.nanoTime() < end) {
            Pause.millis(Math.min(1_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            stack.tracker().check();
            checkAlive(stack);
            if (!ingestor.isAlive()) {
                throw new IllegalStateException("the ingestor exited; its log ends with:\n" + ingestor.logTail(30));
            }
            PrometheusText jobMetrics = stack.metrics();
            double batchId = stack.lastBatchId(jobMetrics);
            if (batchId != lastBatch) {
                batchDurations.add(stack.lastBatchSeconds(jobMetrics));
                lastBatch = batchId;
            }
            if (System.nanoTime() >= nextLine || System.nanoTime() >= end) {
                PhaseCounters now = PhaseCounters.read(stack, ingestor, load, probe);
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
