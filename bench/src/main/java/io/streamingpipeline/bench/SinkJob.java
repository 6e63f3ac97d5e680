package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkCluster;
import io.streamingpipeline.localstack.spark.SparkDriver;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * bench/sink's job: {@code TradesToCassandraJob} submitted to the local cluster with bench/sink's {@link JobTuning},
 * its metrics polled every 100 ms until it wrote all the preloaded trades; then stopped.
 */
final class SinkJob {

    static final String SINK = CassandraSchema.TRADES_TABLE;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final SinkOptions o;
    private final Path work;

    SinkJob(SinkOptions o, Path work) {
        this.o = o;
        this.work = work;
    }

    SinkRun run(KafkaBroker kafka, CassandraNode cassandra, SparkCluster spark, ProcessCpu cpu, CqlSession session)
            throws IOException, InterruptedException {
        int healthPort = FreePorts.pick();
        SparkSubmission built = new JobTuning(
                        o.jobJar,
                        o.triggerInterval,
                        o.maxOffsetsPerTrigger,
                        o.shufflePartitions,
                        o.driverHeap,
                        o.executorMemory,
                        o.sparkConf,
                        o.jobJvm)
                .job("sink-bench", work, kafka, cassandra, healthPort)
                .build();
        System.out.printf(
                Locale.ROOT,
                "job settings: max-offsets-per-trigger %,d, trigger-interval %s, driver -Xmx%s, executor memory %s "
                        + "(worker: %d cores), %s%s; %s%n",
                o.maxOffsetsPerTrigger,
                o.triggerInterval,
                o.driverHeap,
                o.executorMemory,
                spark.workerCores(),
                built.conf().entrySet().stream()
                        .filter(e -> !e.getKey().endsWith("extraJavaOptions"))
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList(),
                o.jobJvm.isBlank() ? "" : ", JVM " + o.jobJvm,
                SinkOptions.CONNECTOR_DEFAULTS);

        long submitted = System.nanoTime();
        SparkDriver driver = spark.submit(built);
        cpu.add("driver", driver.pid());
        PhaseLoad afterWarmup = null;
        try {
            long deadline = submitted + o.timeout.toNanos();
            long live = -1;
            long first = -1;
            long firstRows = 0;
            long lastWritten = 0;
            int batches = 0;
            PrometheusText metrics = null;
            while (true) {
                if (!driver.isAlive()) {
                    throw new IllegalStateException("the Spark job exited; its log ends with:\n" + driver.logTail(40));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all trades written within " + o.timeout + " (" + lastWritten
                            + " of " + (o.warmupTrades + o.trades) + "); the job's log ends with:\n"
                            + driver.logTail(40));
                }
                String text = get(healthPort, "/metrics");
                long now = System.nanoTime();
                if (text != null) {
                    metrics = new PrometheusText(text);
                    if (live < 0) {
                        live = now;
                        System.out.printf(
                                Locale.ROOT,
                                "  job up (metrics answer) %.1f s after submit (driver pid %d)%n",
                                (live - submitted) / 1e9,
                                driver.pid());
                    }
                    long written = (long) metrics.value("trades_job_rows_written_total", "sink", SINK);
                    if (written > lastWritten) {
                        if (first >= 0) {
                            batches++;
                        }
                        if (first < 0 && written >= o.warmupTrades) {
                            first = now;
                            firstRows = written;
                            afterWarmup = PhaseLoad.start(cpu, session);
                        }
                        System.out.printf(
                                Locale.ROOT,
                                "  +%5.1f s: %,9d trades written; load %s%n",
                                (now - live) / 1e9,
                                written,
                                Machine.loadAverages());
                        lastWritten = written;
                    }
                    if (written >= o.warmupTrades + o.trades) {
                        SinkRun run = new SinkRun(
                                submitted,
                                live,
                                first,
                                firstRows,
                                now,
                                written,
                                batches,
                                metrics.value("trades_job_rows_written_total", "sink", CassandraSchema.CANDLES_TABLE),
                                metrics.value("trades_job_rejected_total"));
                        System.out.printf(
                                Locale.ROOT,
                                "  all %,d trades written %.1f s after the job came up, %.1f s after the warm-up%n",
                                written,
                                run.fromStartSeconds(),
                                run.steadySeconds());
                        System.out.println("    after the warm-up: " + afterWarmup.since(run.steadyRows()));
                        return run;
                    }
                }
                Thread.sleep(100);
            }
        } finally {
            driver.stop(Duration.ofSeconds(60));
        }
    }

    private static String get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
