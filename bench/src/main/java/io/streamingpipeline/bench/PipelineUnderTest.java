package io.streamingpipeline.bench;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.spark.SparkDriver;

/**
 * The pipeline under test: the job, or the floor query in its place ({@code floor}; it counts records read, from
 * {@code rowsBase}, the records in Kafka when it started at the topic's end).
 */
record PipelineUnderTest(
        KafkaBroker kafka,
        SparkDriver job,
        int healthPort,
        ProbeTracker tracker,
        long cassandraPid,
        long sparkMasterPid,
        long sparkWorkerPid,
        boolean floor,
        long rowsBase) {

    static PipelineUnderTest job(
            KafkaBroker kafka,
            SparkDriver job,
            int healthPort,
            ProbeTracker tracker,
            long cassandraPid,
            long sparkMasterPid,
            long sparkWorkerPid) {
        return new PipelineUnderTest(
                kafka, job, healthPort, tracker, cassandraPid, sparkMasterPid, sparkWorkerPid, false, 0);
    }

    static PipelineUnderTest floor(
            KafkaBroker kafka,
            SparkDriver floor,
            int metricsPort,
            ProbeTracker tracker,
            long rowsBase,
            long cassandraPid,
            long sparkMasterPid,
            long sparkWorkerPid) {
        return new PipelineUnderTest(
                kafka, floor, metricsPort, tracker, cassandraPid, sparkMasterPid, sparkWorkerPid, true, rowsBase);
    }

    PrometheusText metrics() {
        return LocalHttp.metrics(healthPort);
    }

    /** Records the job wrote to the trades table, or the floor query read (plus what Kafka held at its start). */
    double rowsWritten(PrometheusText m) {
        return floor
                ? rowsBase + m.value("floor_rows_read_total")
                : m.value("trades_job_rows_written_total", "sink", CassandraSchema.TRADES_TABLE);
    }

    double lastBatchId(PrometheusText m) {
        return floor ? m.value("floor_last_batch_id") : m.value("trades_job_query_last_batch_id", "query", "trades");
    }

    double lastBatchSeconds(PrometheusText m) {
        return floor
                ? m.value("floor_batch_duration_seconds")
                : m.value("trades_job_query_batch_duration_seconds", "query", "trades");
    }

    String name() {
        return floor ? "floor query" : "job";
    }

    /** Every process of the pipeline and the benchmark, with this phase's ingestor. */
    ProcessCpu cpu(IngestorProcess ingestor) {
        return new ProcessCpu()
                .add("driver", job.pid())
                .addDescendants("executor", sparkWorkerPid)
                .add("Cassandra", cassandraPid)
                .add("Kafka", kafka.pid())
                .add("ingestor", ingestor.pid())
                .addCurrent("benchmark + simulators")
                .add("Spark master", sparkMasterPid)
                .add("Spark worker", sparkWorkerPid);
    }
}
