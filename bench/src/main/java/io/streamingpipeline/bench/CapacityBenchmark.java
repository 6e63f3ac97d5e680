package io.streamingpipeline.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * bench/capacity: the whole pipeline on the local stack, started as bench/latency starts it ({@link LatencyBenchmark}:
 * Kafka, Cassandra, Spark + the job, a packaged ingestor fed by the simulators), with the input stepped up on the
 * running feed (one ingestor from the first step to the last) until the pipeline no longer keeps up with it over a
 * step's window. A step is kept up with when, over the window, the simulators delivered at least 95 % of the rate, the
 * ingestor lost nothing, the job's backlog (Kafka records not yet written to Cassandra) grew by less than
 * {@code --max-backlog-growth} seconds of input, and the probe's p99 from the simulator to a row readable in Cassandra
 * stayed within {@code --max-p99-ms}. The last line printed is the
 * {@code RESULT} line: the highest rate kept up with, its p99, the machine's cores.
 */
public final class CapacityBenchmark {

    static final String USAGE = """
            usage: bench/capacity [options]
              --rates 10000,20000,40000,60000,80000   trades/s of each step, in order; stops at the first not kept up with
              --step-duration 180         seconds measured per step
              --first-warmup 120          seconds before the first step's window (a fresh job's JIT, see bench/latency)
              --warmup 30                 seconds before each later step's window
              --catch-up-timeout 120      seconds to wait after a warm-up for the job to be <= 2 s of input behind
              --drain-timeout 60          seconds to wait after a step for its probe rows
              --max-p99-ms 2000           a step whose probe p99 (simulator -> Cassandra) is above this is not kept up with
              --max-backlog-growth 2      ... nor one whose backlog grew by more than this many seconds of input
              --keep                      keep the temporary work dir (logs) at the end
            bench/latency's settings (--trigger-interval, --max-offsets-per-trigger, --worker-cores, --linger-ms,
            --spark-conf, --job-jvm, --ingestor-jvm, --cassandra-heap, --probe-rate, --poll-ms) are taken too.
            """;

    /** A step's verdict. */
    record Step(PhaseResult result, List<String> reasons) {
        boolean keptUp() {
            return reasons.isEmpty();
        }
    }

    public static void main(String[] args) throws Exception {
        LatencyOptions o = new LatencyOptions();
        o.rates = List.of(10_000, 20_000, 40_000, 60_000, 80_000);
        o.duration = Duration.ofSeconds(180);
        o.warmup = Duration.ofSeconds(120);
        o.catchUpTimeout = Duration.ofSeconds(120);
        o.drainTimeout = Duration.ofSeconds(60);
        o.floorRates = List.of();
        Duration stepWarmup = Duration.ofSeconds(30);
        long maxP99 = 2_000;
        double maxBacklogGrowth = 2;
        List<String> latencyArgs = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rates" ->
                        o.rates = Arrays.stream(args[++i].split(","))
                                .map(s -> Integer.parseInt(s.trim()))
                                .toList();
                    case "--step-duration" ->
                        o.duration = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                    case "--first-warmup" -> o.warmup = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                    case "--warmup" -> stepWarmup = Duration.ofSeconds(Long.parseLong(args[++i].replace("s", "")));
                    case "--max-p99-ms" -> maxP99 = Long.parseLong(args[++i]);
                    case "--max-backlog-growth" -> maxBacklogGrowth = Double.parseDouble(args[++i]);
                    case "--help", "-h" -> {
                        System.out.print(USAGE);
                        System.exit(0);
                    }
                    default -> {
                        latencyArgs.add(args[i]);
                        if (!args[i].equals("--keep")) {
                            latencyArgs.add(args[++i]);
                        }
                    }
                }
            }
            LatencyOptions.parse(latencyArgs.toArray(String[]::new), o);
            if (o.rates.isEmpty() || o.rates.stream().anyMatch(r -> r <= o.probeRate)) {
                throw new IllegalArgumentException("each rate must be above --probe-rate " + o.probeRate);
            }
        } catch (RuntimeException e) {
            System.err.println("bench/capacity: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new CapacityBenchmark(o, stepWarmup, maxP99, maxBacklogGrowth).run());
    }

    private final LatencyOptions o;
    private final Duration stepWarmup;
    private final long maxP99;
    private final double maxBacklogGrowth;

    private CapacityBenchmark(LatencyOptions o, Duration stepWarmup, long maxP99, double maxBacklogGrowth) {
        this.o = o;
        this.stepWarmup = stepWarmup;
        this.maxP99 = maxP99;
        this.maxBacklogGrowth = maxBacklogGrowth;
    }

    int run() throws IOException {
        BenchEngines engines = new BenchEngines(o, "bench-capacity");
        LatencySubmissions submissions = new LatencySubmissions(o, engines);
        LatencyPhases phases = new LatencyPhases(o, engines.work());
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                Locale.ROOT,
                "bench/capacity %s UTC: steps %s trades/s, %d s measured each (warm-up %d s first, %d s "
                        + "after); kept up with = delivered >= 95 %%, nothing lost, backlog growth <= %.0f s of input, "
                        + "p99 <= %d ms; %d cores, %s; load average %s; work dir %s%n",
                Machine.now(),
                o.rates,
                o.duration.toSeconds(),
                o.warmup.toSeconds(),
                stepWarmup.toSeconds(),
                maxBacklogGrowth,
                maxP99,
                cores,
                Machine.cpuModel(),
                Machine.loadAverages(),
                engines.work());
        System.out.printf(
                Locale.ROOT,
                "settings: job --trigger-interval %s --max-offsets-per-trigger %d; worker %s; "
                        + "ingestor linger.ms=%s, %s; Cassandra heap %s%n",
                o.triggerInterval,
                o.maxOffsetsPerTrigger,
                o.workerCores > 0 ? o.workerCores + " cores" : "2 task slots per core",
                o.lingerMs,
                o.ingestorJvm,
                o.cassandraHeap);
        Runtime.getRuntime().addShutdownHook(new Thread(engines::stopAll, "bench-capacity-stop"));
        List<Step> steps = new ArrayList<>();
        try {
            o.requireBuilt();
            try (JobRun run = JobRun.start(engines, submissions, o.pollMillis)) {
                phases.runSteps(run.stack(), o.rates, o.warmup, stepWarmup, r -> {
                    r.print();
                    Step step = new Step(r, verdict(r));
                    steps.add(step);
                    System.out.printf(
                            Locale.ROOT,
                            "step %,d/s: %s%n",
                            r.rate,
                            step.keptUp() ? "kept up with" : "NOT kept up with: " + String.join("; ", step.reasons));
                    return step.keptUp();
                });
            }
        } catch (RuntimeException e) {
            System.out.println("bench/capacity FAILED: " + e.getMessage());
            e.printStackTrace(System.out);
            engines.stopAll();
            return 1;
        }
        engines.stopAll();
        if (!o.keep) {
            engines.deleteWorkDir();
        }
        System.out.println("summary:");
        for (Step s : steps) {
            System.out.printf(Locale.ROOT, "  %s -> %s%n", s.result.summary(), s.keptUp() ? "kept up" : "NOT kept up");
            System.out.printf(
                    Locale.ROOT,
                    "    backlog %,d -> %,d records; CPU (cores of %d): %s%n",
                    s.result.backlogAtStart,
                    s.result.backlogAtEnd,
                    cores,
                    s.result.cores);
        }
        Step sustained = null;
        for (Step s : steps) {
            if (s.keptUp()) {
                sustained = s;
            }
        }
        if (sustained == null) {
            System.out.printf(
                    Locale.ROOT,
                    "RESULT sustained_trades_per_s=0 p99_ms_at_sustained=-1 cores=%d "
                            + "(not even the first step, %,d/s, was kept up with)%n",
                    cores,
                    o.rates.get(0));
            return 0;
        }
        System.out.printf(
                Locale.ROOT,
                "CPU at the sustained rate, %,d/s (cores of %d): %s%n",
                sustained.result.rate,
                cores,
                sustained.result.cores);
        System.out.printf(
                Locale.ROOT,
                "RESULT sustained_trades_per_s=%d p99_ms_at_sustained=%d cores=%d%n",
                sustained.result.rate,
                sustained.result.e2e.p99(),
                cores);
        return 0;
    }

    /** Why a step was not kept up with; empty when it was. */
    List<String> verdict(PhaseResult r) {
        List<String> reasons = new ArrayList<>();
        if (r.deliveredPerS < 0.95 * r.rate) {
            reasons.add(String.format(Locale.ROOT, "delivered %,.0f/s of %,d/s", r.deliveredPerS, r.rate));
        }
        if (r.lostInIngestor > 0 || r.lostBeforeKafka() > 0) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "lost: %,d trades in the ingestor, %d probe trades before Kafka",
                    r.lostInIngestor,
                    r.lostBeforeKafka()));
        }
        long growth = r.backlogAtEnd - r.backlogAtStart;
        if (growth > maxBacklogGrowth * r.rate) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "backlog grew by %,d records (%.1f s of input) over the window",
                    growth,
                    (double) growth / r.rate));
        }
        if (r.e2e.n() == 0 || r.e2e.p99() > maxP99 || r.e2e.lowerBound()) {
            reasons.add(String.format(
                    Locale.ROOT,
                    "p99 %s%d ms (%d probe rows lagging or lost)",
                    r.e2e.lowerBound() ? ">=" : "",
                    r.e2e.p99(),
                    r.probeInKafka - r.probeStored));
        }
        return reasons;
    }
}
