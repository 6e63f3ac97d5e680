package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkCluster;
import io.streamingpipeline.localstack.spark.SparkDriver;

/**
 * What bench/latency and bench/capacity measure: the engines started, the streaming job submitted, and the probe
 * tracker that watches its trade table. {@link #close()} closes the tracker and the session; the engines and the
 * job stay up until {@link BenchEngines#stopAll()}.
 */
record JobRun(
        KafkaBroker kafka,
        CassandraNode cassandra,
        SparkCluster spark,
        SparkDriver job,
        CqlSession session,
        ProbeTracker tracker,
        PipelineUnderTest stack)
        implements AutoCloseable {

    static JobRun start(BenchEngines engines, LatencySubmissions submissions, long pollMillis) {
        KafkaBroker kafka = engines.startKafka();
        CassandraNode cassandra = engines.startCassandra();
        SparkCluster spark = engines.startSpark();
        int healthPort = FreePorts.pick();
        SparkDriver job = submissions.submitJob(kafka, cassandra, spark, healthPort);
        CqlSession session = cassandra.session();
        try {
            ProbeTracker tracker = new ProbeTracker(
                    kafka.bootstrapServers(),
                    ProbeSink.cassandra(session, LatencyBenchmark.PROBE_SYMBOL),
                    LatencyBenchmark.PROBE_SYMBOL,
                    pollMillis);
            PipelineUnderTest stack = PipelineUnderTest.job(
                    kafka, job, healthPort, tracker, cassandra.pid(), spark.masterPid(), spark.workerPid());
            return new JobRun(kafka, cassandra, spark, job, session, tracker, stack);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            tracker.close();
        } finally {
            session.close();
        }
    }
}
