package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.ingestor.testing.Tally;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.kafka.TopicReader;
import io.streamingpipeline.localstack.kafka.TopicRecord;
import io.streamingpipeline.simulator.DeliveredTrade;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator deletes the trades topic and creates it again while the ingestor publishes to it (the broker does not
 * create topics on demand). The ingestor's producer is idempotent: its sequence numbers for the old partitions mean
 * nothing to the new ones. While the topic is gone, the trades wait for it (the producer retries within its delivery
 * timeout) and readiness goes DOWN; once it is back, the ingestor publishes to it again without a restart, readiness
 * comes back, and every trade it read is published: none lost. On the new topic every symbol's trades are the last
 * ones the feed delivered, in order, each once.
 */
class TopicRecreatedWhilePublishingIT {

    private static final Duration GONE_FOR = Duration.ofSeconds(5);

    @Test
    void publishingResumesOnTheTopicCreatedAgainAndEveryTradeIsCounted(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                FeedSimulator simulator = FeedSimulator.start(BrokerOutageIT.recordedFeed());
                Admin admin = broker.newAdmin()) {
            try (IngestorProcess ingestor = BrokerOutageIT.publishing("topic-recreated", simulator, broker)) {
                String topic = Topic.TRADES.defaultName();
                admin.deleteTopics(List.of(topic)).all().get();
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> !admin.listTopics().names().get().contains(topic));
                boolean unready = false;
                for (long end = System.nanoTime() + GONE_FOR.toNanos(); System.nanoTime() < end; ) {
                    unready |= ingestor.status("/q/health/ready") == 503;
                    Thread.sleep(250);
                }
                assertThat(unready)
                        .as("readiness DOWN while no acknowledgement came for longer than the allowed delay")
                        .isTrue();
                // every acknowledgement counted after this is for a trade the old topic no longer holds
                long publishedBeforeCreated = (long) ingestor.metrics().value("ingestor_trades_published_total");
                admin.createTopics(List.of(new NewTopic(topic, Topic.TRADES.partitions(), (short) 1)))
                        .all()
                        .get();

                await().atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> ingestor.metrics().value("ingestor_trades_published_total")
                                > publishedBeforeCreated + 2000);
                await().atMost(Duration.ofSeconds(60)).until(() -> ingestor.status("/q/health/ready") == 200);
                simulator.close();
                GroundTruth truth = simulator.groundTruth();

                Tally tally = OverloadIT.settled(ingestor, truth.totalTrades());
                assertThat(tally.received()).as("received").isEqualTo(truth.totalTrades());
                assertThat(tally.lost())
                        .as("lost, of %s: the topic was back within the producer's delivery timeout", tally)
                        .isZero();
                assertThat(tally.published()).as("published, of %s", tally).isEqualTo(tally.received());
                assertThat(ingestor.metrics().value("ingestor_publish_pending"))
                        .as("waiting for Kafka")
                        .isZero();

                List<TopicRecord> records = TopicReader.of(broker).readAll(topic, Duration.ofSeconds(60));
                System.out.printf(
                        "topic recreated: delivered %d, %s, %d on the new topic (%d acknowledged after it was created)%n",
                        truth.totalTrades(), tally, records.size(), tally.published() - publishedBeforeCreated);
                assertThat(records.size())
                        .as("on the new topic: at most what was acknowledged after it was created")
                        .isPositive()
                        .isLessThanOrEqualTo((int) (tally.published() - publishedBeforeCreated));
                assertLatestPerSymbol(simulator.deliveredTrades(), records);
            }
        }
    }

    /** Per symbol, the new topic's trades are the last ones delivered: none lost or doubled after the gap. */
    private static void assertLatestPerSymbol(List<DeliveredTrade> delivered, List<TopicRecord> records)
            throws Exception {
        Map<String, List<DeliveredTrade>> sent = new LinkedHashMap<>();
        for (DeliveredTrade d : delivered) {
            sent.computeIfAbsent(d.symbol(), s -> new ArrayList<>()).add(d);
        }
        Map<String, List<DeliveredTrade>> latest = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TopicRecord r : records) {
            counts.merge(r.key(), 1, Integer::sum);
        }
        for (var e : counts.entrySet()) {
            List<DeliveredTrade> all = sent.get(e.getKey());
            assertThat(all).as("trades delivered of " + e.getKey()).isNotNull();
            assertThat(e.getValue()).as(e.getKey()).isLessThanOrEqualTo(all.size());
            latest.put(e.getKey(), all.subList(all.size() - e.getValue(), all.size()));
        }
        assertThat(counts.keySet()).as("symbols on the new topic").isEqualTo(Set.copyOf(sent.keySet()));
        List<DeliveredTrade> expected = new ArrayList<>();
        latest.values().forEach(expected::addAll);
        IngestToKafkaIT.assertSameTradesPerSymbol(expected, records);
    }
}
