package io.streamingpipeline.spark.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The job's metrics in the Prometheus text exposition format (version 0.0.4). Names start with
 * {@code trades_job_}; per-query series carry the label {@code query} (the job's query is {@code trades}).
 */
public final class PrometheusText {

    private PrometheusText() {}

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    public static String render(StreamingHealth health, PipelineMetrics metrics) {
        Out out = new Out();
        Map<String, QueryStatus> queries = health.queries();
        Instant now = health.clock().instant();

        out.type("trades_job_ready", "gauge", "1 when every query runs and made recent progress (as /health/ready).");
        out.sample("trades_job_ready", "", health.readiness().up() ? 1 : 0);

        out.type("trades_job_query_active", "gauge", "1 while the streaming query runs.");
        queries.forEach((q, s) -> out.sample("trades_job_query_active", query(q), s.active() ? 1 : 0));
        out.type("trades_job_query_last_batch_id", "gauge", "Id of the last finished micro-batch.");
        queries.forEach((q, s) -> out.sample("trades_job_query_last_batch_id", query(q), s.lastBatchId()));
        out.type("trades_job_query_input_rows_per_second", "gauge", "Input rate of the last micro-batch.");
        queries.forEach(
                (q, s) -> out.sample("trades_job_query_input_rows_per_second", query(q), s.inputRowsPerSecond()));
        out.type("trades_job_query_processed_rows_per_second", "gauge", "Processing rate of the last micro-batch.");
        queries.forEach((q, s) ->
                out.sample("trades_job_query_processed_rows_per_second", query(q), s.processedRowsPerSecond()));
        out.type(
                "trades_job_query_batch_duration_seconds",
                "gauge",
                "Duration of the last micro-batch (triggerExecution).");
        queries.forEach((q, s) ->
                out.sample("trades_job_query_batch_duration_seconds", query(q), s.batchDurationMillis() / 1000.0));
        out.type("trades_job_query_input_rows_total", "counter", "Kafka records read by the query.");
        queries.forEach((q, s) -> out.sample("trades_job_query_input_rows_total", query(q), s.inputRowsTotal()));
        out.type(
                "trades_job_query_last_progress_age_seconds",
                "gauge",
                "Seconds since the last progress or idle event.");
        queries.forEach((q, s) -> out.sample(
                "trades_job_query_last_progress_age_seconds",
                query(q),
                Math.max(0, Duration.between(s.lastSignal(), now).toMillis()) / 1000.0));

        out.type(
                "trades_job_kafka_max_offsets_behind_latest",
                "gauge",
                "Kafka lag: largest number of offsets a partition is behind the latest, as the source reports it.");
        queries.forEach((q, s) -> s.maxOffsetsBehindLatest()
                .ifPresent(v -> out.sample("trades_job_kafka_max_offsets_behind_latest", query(q), v)));
        out.type("trades_job_kafka_avg_offsets_behind_latest", "gauge", "Kafka lag: average over partitions.");
        queries.forEach((q, s) -> s.avgOffsetsBehindLatest()
                .ifPresent(v -> out.sample("trades_job_kafka_avg_offsets_behind_latest", query(q), v)));

        out.type("trades_job_rejected_total", "counter", "Records sent to the dead-letter topic, by reason.");
        metrics.rejectedByReason()
                .forEach((reason, n) -> out.sample("trades_job_rejected_total", label("reason", reason), n));
        out.type("trades_job_rows_written_total", "counter", "Rows written, by sink (Cassandra table or Kafka topic).");
        metrics.rowsWrittenBySink()
                .forEach((sink, n) -> out.sample("trades_job_rows_written_total", label("sink", sink), n));
        out.type(
                "trades_job_sink_write_seconds",
                "summary",
                "Time the micro-batches spent writing, by sink: sum, and the number of batches that wrote to it.");
        metrics.writeTimeBySink().forEach((sink, t) -> {
            out.sample("trades_job_sink_write_seconds_sum", label("sink", sink), t.nanos() / 1e9);
            out.sample("trades_job_sink_write_seconds_count", label("sink", sink), t.batches());
        });
        out.type(
                "trades_job_dead_letters_unwritten_total",
                "counter",
                "Rejected records whose dead letter Kafka refused for good (logged, skipped; the job goes on).");
        out.sample("trades_job_dead_letters_unwritten_total", "", metrics.deadLettersUnwritten());
        out.type(
                "trades_job_kafka_offsets_skipped_total",
                "counter",
                "Offsets of the micro-batches' Kafka ranges with no record read: records Kafka deleted before the job"
                        + " read them (skipped under --fail-on-data-loss false), or transaction markers.");
        out.sample("trades_job_kafka_offsets_skipped_total", "", metrics.offsetsSkipped());
        return out.toString();
    }

    private static String query(String name) {
        return label("query", name);
    }

    private static String label(String name, String value) {
        String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "{" + name + "=\"" + escaped + "\"}";
    }

    private static final class Out {
        private final StringBuilder text = new StringBuilder();

        void type(String name, String type, String help) {
            text.append("# HELP ").append(name).append(' ').append(help).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void sample(String name, String labels, double value) {
            text.append(name).append(labels).append(' ').append(number(value)).append('\n');
        }

        private static String number(double v) {
            if (Double.isNaN(v)) {
                return "NaN";
            }
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                return Long.toString((long) v);
            }
            return String.format(Locale.ROOT, "%s", v);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
