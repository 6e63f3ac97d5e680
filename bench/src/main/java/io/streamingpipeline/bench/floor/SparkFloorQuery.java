package io.streamingpipeline.bench.floor;

import static org.apache.spark.sql.functions.col;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;

/**
 * bench/latency's floor: the least a Structured Streaming query does with the pipeline's input, on the same cluster
 * with the same trigger — the Kafka source, and a {@code foreachBatch} that reads every record of the batch to keep
 * only the probe symbol's (by key) and appends their values, one per line, to a file (its "sink", which the benchmark
 * polls as it polls Cassandra for the job). Serves {@code /metrics} (records read, last batch id and duration) for
 * the benchmark's progress lines, from the end of its first batch on (503 before). Submitted with the job jar on {@code spark.jars} for the Kafka source's classes.
 *
 * <p>Arguments: {@code --bootstrap-servers --topic --probe-key --out --checkpoint-location --trigger-interval-ms
 * --max-offsets-per-trigger --metrics-port}.
 */
public final class SparkFloorQuery {

    private SparkFloorQuery() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String probeKey = a.get("probe-key");
        Path out = Path.of(a.get("out"));
        Files.writeString(out, "", StandardCharsets.UTF_8);

        AtomicLong rowsRead = new AtomicLong();
        AtomicLong lastBatchId = new AtomicLong(-1);
        AtomicLong lastBatchMillis = new AtomicLong();
        HttpServer metrics =
                HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(a.get("metrics-port"))), 0);
        metrics.createContext("/metrics", exchange -> {
            if (lastBatchId.get() < 0) {
                // not ready before the first batch: it fixes the "latest" offsets the query starts from
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            byte[] body = String.format(
                            Locale.ROOT,
                            "floor_rows_read_total %d%nfloor_last_batch_id %d%n"
                                    + "floor_batch_duration_seconds %.3f%n",
                            rowsRead.get(),
                            lastBatchId.get(),
                            lastBatchMillis.get() / 1000.0)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        metrics.start();

        SparkSession spark = SparkSession.builder().appName("latency-floor").getOrCreate();
        // as the job does on a local checkpoint: plain Java I/O instead of forked processes per checkpoint file
        spark.conf()
                .set(
                        "spark.sql.streaming.checkpointFileManagerClass",
                        "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager");
        spark.streams().addListener(new StreamingQueryListener() {
            @Override
            public void onQueryStarted(QueryStartedEvent event) {}

            @Override
            public void onQueryProgress(QueryProgressEvent event) {
                rowsRead.addAndGet(event.progress().numInputRows());
                lastBatchId.set(event.progress().batchId());
                Long trigger = event.progress().durationMs().get("triggerExecution");
                lastBatchMillis.set(trigger == null ? 0 : trigger);
            }

            @Override
            public void onQueryTerminated(QueryTerminatedEvent event) {}
        });
        Dataset<Row> kafka = spark.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", a.get("bootstrap-servers"))
                .option("subscribe", a.get("topic"))
                .option("startingOffsets", "latest")
                .option("failOnDataLoss", "false")
                .option("maxOffsetsPerTrigger", a.get("max-offsets-per-trigger"))
                .load();
        VoidFunction2<Dataset<Row>, Long> appendProbes = (batch, batchId) -> {
            List<Row> probes = batch.filter(col("key").cast("string").equalTo(probeKey))
                    .select(col("value").cast("string"))
                    .collectAsList();
            StringBuilder lines = new StringBuilder();
            for (Row r : probes) {
                lines.append(r.getString(0)).append('\n');
            }
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                w.write(lines.toString());
            } catch (IOException e) {
                throw new IllegalStateException("cannot append to " + out, e);
            }
        };
        StreamingQuery query = kafka.writeStream()
                .queryName("floor")
                .trigger(Trigger.ProcessingTime(Long.parseLong(a.get("trigger-interval-ms")), TimeUnit.MILLISECONDS))
                .option("checkpointLocation", a.get("checkpoint-location"))
                .foreachBatch(appendProbes)
                .start();
        try {
            query.awaitTermination();
        } finally {
            metrics.stop(0);
        }
    }
}
