package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.localstack.pipeline.TradesJobLaunch;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trades topic deleted and created again under the same name while the job is down: its offsets start at 0
 * again. The job refuses the old checkpoint (whose offsets would make Spark skip the new topic's records below them),
 * and a new checkpoint from {@code earliest} stores the new topic's trades with exact candles, although the candles
 * of the same minutes already hold the old topic's trades at higher offsets.
 */
class TopicRecreatedIT {

    private static final List<String> SYMBOLS = List.of("AGAIN:BTCUSDT", "AGAIN:ETHUSDT", "AGAIN:SOLUSDT");

    @TempDir
    Path workDir;

    @Test
    void aTopicCreatedAgainIsRefusedOnTheOldCheckpointAndReadWholeOnANewOne() throws Exception {
        PipelineStack stack = PipelineStack.get();
        String topic = "it-recreated";
        String keyspace = "it_recreated";
        CandleReplayIT.prepare(stack, topic, keyspace);
        long first = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        long span = Duration.ofMinutes(3).toMillis();
        List<Trade> before = TestTrades.random(71, 1200, SYMBOLS, first, span);
        List<Trade> after = TestTrades.random(72, 400, SYMBOLS, first, span); // the same minutes, fewer offsets
        TestTrades.produce(stack.kafka.bootstrapServers(), topic, before);
        TradesJob job = new TradesJob("it-recreated", topic, topic + "-dlq", keyspace, workDir.resolve("first"));

        SparkDriver reading = job.submit();
        SparkDriver refused = null;
        SparkDriver reset = null;
        try (CqlSession session = stack.cassandra.session()) {
            CandleReplayIT.awaitExact(session, keyspace, before, reading);
            assertThat(reading.stop(Duration.ofSeconds(90))).isTrue();
            CandleReplayIT.awaitApplicationGone(stack, "it-recreated");

            Uuid oldId = recreate(stack, topic);
            TestTrades.produce(stack.kafka.bootstrapServers(), topic, after);

            refused = job.submit();
            DriverExit exit = DriverExit.await(refused, Duration.ofMinutes(4), "was deleted and created again");
            assertThat(exit.code())
                    .as("exit code of the driver on the old topic's checkpoint")
                    .isEqualTo(TradesJobLaunch.EXIT_REFUSED);
            assertThat(exit.line())
                    .as("the driver says why and what to do")
                    .startsWith(TradesJobLaunch.REFUSED)
                    .contains("had " + oldId)
                    .contains("Start with a new --checkpoint-location and --starting-offsets earliest");
            PipelineAssertions.assertTradesExactly(CassandraTables.trades(session, keyspace), before);
            CandleReplayIT.awaitApplicationGone(stack, "it-recreated");

            // the operator's answer: a new checkpoint from earliest
            TradesJob again =
                    new TradesJob("it-recreated-again", topic, topic + "-dlq", keyspace, workDir.resolve("again"));
            reset = again.submit();
            CandleReplayIT.awaitExact(session, keyspace, CandleReplayIT.concat(before, after), reset);
        } finally {
            reading.kill();
            if (refused != null) {
                refused.kill();
            }
            if (reset != null) {
                reset.stop(Duration.ofSeconds(90));
            }
        }
    }

    /** Deletes the topic and creates it again (as many partitions, leaders elected); returns the old topic's id. */
    private static Uuid recreate(PipelineStack stack, String topic) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()))) {
            Uuid oldId = topicId(admin, topic);
            admin.deleteTopics(List.of(topic)).all().get();
            // the broker may still hold the old topic for a moment after it left the listing: creating it is then a
            // no-op (the local stack's create takes an existing topic as created), and the id is still the old one
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        if (admin.listTopics().names().get().contains(topic)) {
                            return false;
                        }
                        stack.kafka.createTopic(topic, Topic.TRADES.partitions());
                        return !topicId(admin, topic).equals(oldId);
                    });
            return oldId;
        }
    }

    private static Uuid topicId(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .topicId();
    }
}
