package io.streamingpipeline.bench;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.spark.SparkCluster;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What bench/latency submits to the Spark cluster: the job, with bench/latency's settings, or in its place the floor
 * query. Each returns once it answers on its port, and is stopped with the engines.
 */
final class LatencySubmissions {

    static final String FLOOR_MAIN_CLASS = "io.streamingpipeline.bench.floor.SparkFloorQuery";

    private final LatencyOptions o;
    private final BenchEngines engines;
    private final Path work;
    private final JobTuning tuning;

    LatencySubmissions(LatencyOptions o, BenchEngines engines) {
        this.o = o;
        this.engines = engines;
        this.work = engines.work();
        // bench/latency's driver and executors: 1g each
        this.tuning = new JobTuning(
                o.jobJar,
                o.triggerInterval,
                o.maxOffsetsPerTrigger,
                o.shufflePartitions,
                "1g",
                "1g",
                o.sparkConf,
                o.jobJvm);
    }

    SparkDriver submitJob(KafkaBroker kafka, CassandraNode cassandra, SparkCluster spark, int healthPort) {
        SparkSubmission.Builder submission = tuning.job("latency-bench", work, kafka, cassandra, healthPort);
        long t0 = System.nanoTime();
        SparkDriver driver = spark.submit(submission.build());
        engines.onStop(() -> driver.stop(Duration.ofSeconds(60)));
        awaitAnswer(driver, healthPort, "/health/live", "the Spark job");
        System.out.printf(
                Locale.ROOT, "  job running in %.1f s (driver pid %d)%n", (System.nanoTime() - t0) / 1e9, driver.pid());
        return driver;
    }

    /**
     * The floor query ({@code SparkFloorQuery} in the floor jar) on the same cluster with the job's trigger and
     * per-batch limit, the job jar on {@code spark.jars} for the Kafka source; returns once its metrics answer (after
     * its first batch).
     */
    SparkDriver submitFloor(KafkaBroker kafka, SparkCluster spark, int metricsPort, Path probesFile) {
        SparkSubmission.Builder submission =
                tuning.sparkSide(SparkSubmission.builder(FLOOR_MAIN_CLASS, o.floorJar.toAbsolutePath())
                        .name("latency-floor")
                        .logFile(work.resolve("spark-floor-driver.log"))
                        .conf("spark.jars", o.jobJar.toAbsolutePath().toString()));
        submission.args(
                "--bootstrap-servers",
                kafka.bootstrapServers(),
                "--topic",
                TradeContract.TRADES_TOPIC,
                "--probe-key",
                LatencyBenchmark.PROBE_SYMBOL,
                "--out",
                probesFile.toString(),
                "--checkpoint-location",
                work.resolve("floor-checkpoint").toUri().toString(),
                "--trigger-interval-ms",
                Long.toString(LatencyOptions.triggerMillis(o.triggerInterval)),
                "--max-offsets-per-trigger",
                Long.toString(o.maxOffsetsPerTrigger),
                "--metrics-port",
                Integer.toString(metricsPort));
        long t0 = System.nanoTime();
        SparkDriver driver = spark.submit(submission.build());
        engines.onStop(() -> driver.stop(Duration.ofSeconds(60)));
        awaitAnswer(driver, metricsPort, "/metrics", "the floor query");
        System.out.printf(
                Locale.ROOT,
                "  floor query running in %.1f s (driver pid %d)%n",
                (System.nanoTime() - t0) / 1e9,
                driver.pid());
        return driver;
    }

    /** Until {@code path} on {@code port} answers 200; fails when the driver exits or after 4 minutes. */
    private static void awaitAnswer(SparkDriver driver, int port, String path, String what) {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (LocalHttp.status(port, path) != 200) {
            if (!driver.isAlive()) {
                throw new IllegalStateException(
                        what + " exited while starting; its log ends with:\n" + driver.logTail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        what + " did not start within 4 minutes; its log ends with:\n" + driver.logTail(30));
            }
            Pause.millis(500);
        }
    }
}
