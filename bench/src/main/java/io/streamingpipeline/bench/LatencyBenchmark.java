package io.streamingpipeline.bench;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkCluster;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * bench/latency: the whole pipeline on the local stack, fresh in a temporary directory (Kafka, Cassandra + schema,
 * Spark master + worker + the job jar, the packaged ingestor, feed simulators), at each rate in turn (default 1,000 and
 * 20,000 trades/s, 60 s measured each): how long a trade takes from the simulator to a row readable in Cassandra
 * (end-to-end), and to a record readable in Kafka (ingest). Sampled: a probe symbol at a low fixed rate (20 trades/s)
 * is mixed into the load symbols through {@link FeedMux}, and only its trades are followed ({@link ProbeTracker}).
 * Then, in the job's place on the same cluster and engines, Spark's floor: {@code SparkFloorQuery} (the Kafka source
 * and a sink that does nothing but hand the probe's records to the benchmark, same trigger), measured the same way at
 * each rate of {@code --floor-rates}. The last line printed is the {@code RESULT} line.
 */
public final class LatencyBenchmark {

    static final String PROBE_SYMBOL = "BENCH:PROBE";

    public static void main(String[] args) throws Exception {
        LatencyOptions o = new LatencyOptions();
        try {
            LatencyOptions.parse(args, o);
            if (o.floorRates == null) {
                o.floorRates = o.rates;
            }
            if (o.rates.isEmpty()
                    || o.rates.stream().anyMatch(r -> r <= o.probeRate)
                    || o.floorRates.stream().anyMatch(r -> r <= o.probeRate)) {
                throw new IllegalArgumentException("each rate must be above --probe-rate " + o.probeRate);
            }
        } catch (RuntimeException e) {
            System.err.println("bench/latency: " + e.getMessage());
            System.err.print(LatencyOptions.USAGE);
            System.exit(2);
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(new LatencyBenchmark(o).run());
    }

    private final LatencyOptions o;

    private LatencyBenchmark(LatencyOptions o) {
        this.o = o;
    }

    int run() throws IOException {
        BenchEngines engines = new BenchEngines(o, "bench-latency");
        Path work = engines.work();
        System.out.printf(
                Locale.ROOT,
                "bench/latency %s UTC: rates %s trades/s, %d s measured after %d s warm-up each; %d cores, "
                        + "load average %s; work dir %s%n",
                Machine.now(),
                o.rates,
                o.duration.toSeconds(),
                o.warmup.toSeconds(),
                Runtime.getRuntime().availableProcessors(),
                Machine.loadAverage(),
                work);
        System.out.printf(
                Locale.ROOT,
                "settings: job --trigger-interval %s --max-offsets-per-trigger %d, "
                        + "spark.sql.shuffle.partitions=%d%s%s, driver/executor heap 1g, worker %s; ingestor linger.ms=%s, %s; "
                        + "Kafka topic %s with 3 partitions; Cassandra heap %s; probe %s at %d trades/s, Cassandra polled every %d ms%n",
                o.triggerInterval,
                o.maxOffsetsPerTrigger,
                o.shufflePartitions,
                o.sparkConf.isEmpty() ? "" : " " + o.sparkConf,
                o.jobJvm.isBlank() ? "" : ", job JVM " + o.jobJvm,
                o.workerCores > 0 ? o.workerCores + " cores" : "2 task slots per core",
                o.lingerMs,
                o.ingestorJvm,
                TradeContract.TRADES_TOPIC,
                o.cassandraHeap,
                PROBE_SYMBOL,
                o.probeRate,
                o.pollMillis);
        Runtime.getRuntime().addShutdownHook(new Thread(engines::stopAll, "bench-latency-stop"));
        LatencySubmissions submissions = new LatencySubmissions(o, engines);
        LatencyPhases phases = new LatencyPhases(o, work);
        List<PhaseResult> results = new ArrayList<>();
        List<PhaseResult> floorResults = new ArrayList<>();
        try {
            o.requireBuilt();
            JobRun run = JobRun.start(engines, submissions, o.pollMillis);
            try (run) {
                phases.runPhases(run.stack(), o.rates, results);
                System.out.printf(
                        Locale.ROOT,
                        "probe polls: %,d, %.1f ms each on average, %,d rows read%n",
                        run.tracker().polls(),
                        run.tracker().meanPollMillis(),
                        run.tracker().rowsRead());
            }
            KafkaBroker kafka = run.kafka();
            SparkCluster spark = run.spark();
            if (!o.floorRates.isEmpty()) {
                // the floor replaces the job on the same cluster: the job's executors go, the floor's come
                run.job().stop(Duration.ofSeconds(60));
                int floorPort = FreePorts.pick();
                Path probesFile = work.resolve("floor-probes.jsonl");
                SparkDriver floor = submissions.submitFloor(kafka, spark, floorPort, probesFile);
                // its first batch is done: it starts from these offsets (nothing is produced between the phases)
                long inKafka = kafka.endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                try (ProbeTracker tracker = new ProbeTracker(
                        kafka.bootstrapServers(),
                        ProbeSink.appendedJsonLines(probesFile),
                        PROBE_SYMBOL,
                        o.pollMillis)) {
                    PipelineUnderTest stack = PipelineUnderTest.floor(
                            kafka,
                            floor,
                            floorPort,
                            tracker,
                            inKafka,
                            run.cassandra().pid(),
                            spark.masterPid(),
                            spark.workerPid());
                    phases.runPhases(stack, o.floorRates, floorResults);
                }
            }
        } catch (RuntimeException e) {
            System.out.println("bench/latency FAILED: " + e.getMessage());
            e.printStackTrace(System.out);
            engines.stopAll();
            return 1;
        }
        engines.stopAll();
        if (!o.keep) {
            engines.deleteWorkDir();
        }
        LatencyReport.print(results, floorResults);
        return 0;
    }
}
