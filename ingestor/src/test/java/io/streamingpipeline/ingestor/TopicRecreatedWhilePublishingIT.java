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
 * nothing to the new ones. While the topic is gone, readiness goes DOWN and the trades wait for it: the producer
 * retries a sent record within its delivery timeout, and blocks a new one for up to {@code max.block.ms} waiting for
 * the topic's metadata. Once the topic is back, the ingestor publishes to it again without a restart and readiness
 * comes back. On the new topic every symbol's trades are the last ones the feed delivered, in order, each once.
 */
class TopicRecreatedWhilePublishingIT {

    /**
     * Within the producer's timeouts (delivery 120 s, metadata 60 s by default): every trade the ingestor read is
     * published, none lost.
     */
    @Test
    void publishingResumesOnTheTopicCreatedAgainAndEveryTradeIsCounted(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                FeedSimulator simulator = FeedSimulator.start(BrokerOutageIT.recordedFeed());
                IngestorProcess ingestor = BrokerOutageIT.publishing("topic-recreated", simulator, broker)) {
            Tally tally = recreate(broker, simulator, ingestor, Duration.ofSeconds(5));
            assertThat(tally.lost())
                    .as("lost, of %s: the topic was back within the producer's timeouts", tally)
                    .isZero();
            assertThat(tally.published()).as("published, of %s", tally).isEqualTo(tally.received());
        }
    }

    /**
     * Gone for longer than the producer's timeouts (shortened here: 2 s for a new record's metadata, 4 s for delivery):
     * the records it gives up on are lost, and each of them is counted ({@code ingestor_trades_lost_total{reason=
     * "kafka_error"}}); the rest wait and are published once the topic is back. Nothing is lost without a count, and the
     * producer is not left broken by its expired batches.
     */
    @Test
    void aTopicGoneLongerThanTheProducersTimeoutsCostsOnlyCountedTrades(@TempDir Path dir) throws Exception {
        String trades = "-Dmp.messaging.outgoing.trades.";
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                FeedSimulator simulator = FeedSimulator.start(BrokerOutageIT.recordedFeed());
                IngestorProcess ingestor = BrokerOutageIT.publishing(
                        "topic-gone-long",
                        simulator,
                        broker,
                        "-Xmx512m",
                        trades + "max.block.ms=2000",
                        trades + "request.timeout.ms=2000",
                        trades + "delivery.timeout.ms=4000")) {
            Tally tally = recreate(broker, simulator, ingestor, Duration.ofSeconds(20));
            double kafkaErrors = ingestor.metrics().value("ingestor_trades_lost_total", "reason", "kafka_error");
            assertThat(tally.lost())
                    .as("lost, of %s: the producer gave up on records while the topic was gone", tally)
                    .isPositive()
                    .isEqualTo((long) kafkaErrors);
        }
    }

    /**
     * Deletes the trades topic, keeps it gone for {@code goneFor} (readiness must go DOWN meanwhile), creates it again,
     * waits for 2,000 trades published to it and for readiness, stops the feed, and checks what holds whatever the
     * producer's timeouts: every trade received is accounted for, none waits, and per symbol the new topic holds the
     * last trades delivered, no more than were acknowledged after it was created.
     *
     * @return the ingestor's tally once Kafka has answered for every trade
     */
    private static Tally recreate(
            KafkaBroker broker, FeedSimulator simulator, IngestorProcess ingestor, Duration goneFor) throws Exception {
        String topic = Topic.TRADES.defaultName();
        long publishedBeforeCreated;
        try (Admin admin = broker.newAdmin()) {
            admin.deleteTopics(List.of(topic)).all().get();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !admin.listTopics().names().get().contains(topic));
            boolean unready = false;
            for (long end = System.nanoTime() + goneFor.toNanos(); System.nanoTime() < end; ) {
                unready |= ingestor.status("/q/health/ready") == 503;
                Thread.sleep(250);
            }
            assertThat(unready)
                    .as("readiness DOWN while no acknowledgement came for longer than the allowed delay")
                    .isTrue();
            // every acknowledgement counted after this is for a trade the old topic no longer holds
            publishedBeforeCreated = (long) ingestor.metrics().value("ingestor_trades_published_total");
            admin.createTopics(List.of(new NewTopic(topic, Topic.TRADES.partitions(), (short) 1)))
                    .all()
                    .get();
        }
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        ingestor.metrics().value("ingestor_trades_published_total") > publishedBeforeCreated + 2000);
        await().atMost(Duration.ofSeconds(60)).until(() -> ingestor.status("/q/health/ready") == 200);
        simulator.close();
        GroundTruth truth = simulator.groundTruth();

        Tally tally = OverloadIT.settled(ingestor, truth.totalTrades());
        assertThat(tally.received()).as("received").isEqualTo(truth.totalTrades());
        assertThat(tally.rejected()).as("rejected, of %s", tally).isZero();
        assertThat(tally.accounted())
                .as("published + rejected + lost, of %s", tally)
                .isEqualTo(tally.received());
        assertThat(ingestor.metrics().value("ingestor_publish_pending"))
                .as("waiting for Kafka")
                .isZero();

        List<TopicRecord> records = TopicReader.of(broker).readAll(topic, Duration.ofSeconds(60));
        System.out.printf(
                "topic gone for %d s: delivered %d, %s, %d on the new topic (%d acknowledged after it was created)%n",
                goneFor.toSeconds(),
                truth.totalTrades(),
                tally,
                records.size(),
                tally.published() - publishedBeforeCreated);
        assertThat(records.size())
                .as("on the new topic: at most what was acknowledged after it was created")
                .isPositive()
                .isLessThanOrEqualTo((int) (tally.published() - publishedBeforeCreated));
        assertLatestPerSymbol(simulator.deliveredTrades(), records);
        return tally;
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
