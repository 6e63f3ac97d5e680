package io.streamingpipeline.bench;

import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.pipeline.TradesJobLaunch;
import io.streamingpipeline.localstack.spark.SparkSubmission;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Spark job's settings under measurement in bench/sink and bench/latency: its trigger and per-batch limit, and the
 * Spark side of the submission (heaps, shuffle partitions, conf, JVM options), which the floor query shares.
 *
 * @param jvm options of the driver's and the executors' JVMs, blank for none
 */
record JobTuning(
        Path jobJar,
        String triggerInterval,
        long maxOffsetsPerTrigger,
        int shufflePartitions,
        String driverHeap,
        String executorMemory,
        Map<String, String> sparkConf,
        String jvm) {

    /**
     * The job reading the trades topic from its earliest offset, wired to these engines, its checkpoint, password file
     * and log in {@code work}, its metrics on {@code healthPort}.
     */
    SparkSubmission.Builder job(String appName, Path work, KafkaBroker kafka, CassandraNode cassandra, int healthPort) {
        Path passwordFile = TradesJobLaunch.writePasswordFile(cassandra.password(), work.resolve("cassandra-password"));
        return sparkSide(TradesJobLaunch.of(jobJar)
                .bootstrapServers(kafka.bootstrapServers())
                .checkpoint(work.resolve("checkpoints"))
                .startingOffsets("earliest")
                .maxOffsetsPerTrigger(maxOffsetsPerTrigger)
                .triggerInterval(triggerInterval)
                .cassandra(cassandra, passwordFile)
                .health(healthPort)
                .submission(appName)
                .logFile(work.resolve("spark-driver.log")));
    }

    /** The Spark side; the conf given over the shuffle partitions, the JVM options over the conf. */
    SparkSubmission.Builder sparkSide(SparkSubmission.Builder submission) {
        return submission
                .driverHeap(driverHeap)
                .executorMemory(executorMemory)
                .shufflePartitions(shufflePartitions)
                .conf(sparkConf)
                .jvmOptions(jvm);
    }
}
