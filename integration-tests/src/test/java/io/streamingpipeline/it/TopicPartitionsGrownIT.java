package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator grows the trades topic ({@code kafka-topics.sh --alter --partitions}) while the job runs: it is how a
 * topic's throughput is raised, and Kafka cannot shrink it again. The running job reads the new partitions from their
 * start; a symbol whose key now hashes to a new partition carries on there; candles keep their merge positions per
 * partition, so the new partitions' trades merge as new ones, and trades and candles stay exact. The job restarted on
 * its checkpoint carries on over every partition, and the local stack's topic creation (what a restart of
 * {@code ./pipeline run} does) takes the grown topic as it is.
 */
class TopicPartitionsGrownIT {

    private static final List<String> SYMBOLS = List.of(
            "GROWN:BTCUSDT", "GROWN:ETHUSDT", "GROWN:SOLUSDT", "GROWN:XRPUSDT", "GROWN:ADAUSDT", "GROWN:DOTUSDT");

    @TempDir
    Path workDir;

    @Test
    void aTopicGrownWhileTheJobRunsIsReadWholeWithExactCandles() throws Exception {
        PipelineStack stack = PipelineStack.get();
        String topic = "it-grown";
        String keyspace = "it_grown";
        int grownTo = 2 * Topic.TRADES.partitions();
        CandleReplayIT.prepare(stack, topic, keyspace);
        long first = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        long span = Duration.ofMinutes(3).toMillis();
        // the same minutes throughout: candles that hold trades of the old partitions take the new ones' too
        List<Trade> before = TestTrades.random(81, 1200, SYMBOLS, first, span);
        List<Trade> grown = TestTrades.random(82, 1200, SYMBOLS, first, span);
        List<Trade> restarted = TestTrades.random(83, 400, SYMBOLS, first, span);
        String kafka = stack.kafka.bootstrapServers();
        TestTrades.produce(kafka, topic, before);
        TradesJob job = new TradesJob("it-grown", topic, topic + "-dlq", keyspace, workDir);

        SparkDriver running = job.submit();
        SparkDriver again = null;
        try (CqlSession session = stack.cassandra.session();
                Admin admin = stack.kafka.newAdmin()) {
            CandleReplayIT.awaitExact(session, keyspace, before, running);

            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(grownTo)))
                    .all()
                    .get();
            stack.kafka.createTopic(topic, Topic.TRADES.partitions());
            TestTrades.produce(kafka, topic, grown);
            Map<Integer, Long> ends = stack.kafka.endOffsets(topic);
            assertThat(ends).hasSize(grownTo);
            assertThat(ends.entrySet().stream()
                            .filter(e -> e.getKey() >= Topic.TRADES.partitions())
                            .mapToLong(Map.Entry::getValue)
                            .sum())
                    .as("trades on the new partitions, of %s", ends)
                    .isPositive();
            List<Trade> both = CandleReplayIT.concat(before, grown);
            CandleReplayIT.awaitExact(session, keyspace, both, running);

            assertThat(running.stop(Duration.ofSeconds(90))).isTrue();
            CandleReplayIT.awaitApplicationGone(stack, "it-grown");
            TestTrades.produce(kafka, topic, restarted);
            again = job.submit();
            CandleReplayIT.awaitExact(session, keyspace, CandleReplayIT.concat(both, restarted), again);
        } finally {
            running.kill();
            if (again != null) {
                again.stop(Duration.ofSeconds(90));
            }
        }
    }
}
