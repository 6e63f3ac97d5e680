package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.ingestor.IngestToKafkaIT.Topics;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.ingestor.testing.RssSampler;
import io.streamingpipeline.ingestor.testing.Tally;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.kafka.SharedKafka;
import io.streamingpipeline.localstack.kafka.TopicReader;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingestor overloaded, on the packaged app and a real broker: every trade the simulator delivered is published
 * to Kafka or counted (lost, rejected), to the trade, and memory stays bounded.
 */
class OverloadIT {

    /** Heap + metaspace + code cache + threads + Netty's direct buffers of an ingestor with -Xmx128m, with room to spare. */
    static final long SMALL_HEAP_RSS_LIMIT_MB = 420;

    @Test
    void aFeedFasterThanTheIngestorIsHeldBackAndEveryTradeIsAccountedFor() throws Exception {
        Topics topics = Topics.create("feed-backlog");
        SimulatorConfig config = SimulatorConfig.defaults()
                .withToken(IngestToKafkaIT.TOKEN)
                .withTradesPerSecond(0)
                .withTradesPerFrame(100)
                .withPingInterval(Duration.ofSeconds(1));
        try (FeedSimulator simulator = FeedSimulator.start(config);
                IngestorProcess ingestor = PackagedIngestor.start(
                        "feed-backlog",
                        IngestToKafkaIT.env(simulator, topics, IngestToKafkaIT.TOKEN),
                        "-Xmx256m",
                        "-XX:+ExitOnOutOfMemoryError");
                RssSampler rss = new RssSampler(ingestor)) {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> simulator.groundTruth().totalTrades() > 0);
            Thread.sleep(20_000);
            simulator.close();
            GroundTruth truth = simulator.groundTruth();

            Tally tally = settled(ingestor, truth.totalTrades());
            assertThat(tally.accounted()).as("published + rejected + lost").isEqualTo(truth.totalTrades());
            assertThat(tally.received()).isEqualTo(truth.totalTrades());
            assertThat(SharedKafka.recordCount(topics.trades())).isEqualTo(tally.published());
            assertThat(ingestor.isAlive()).isTrue();
            assertThat(rss.maxMegabytes()).as("RSS, MiB").isBetween(1L, 700L);
            System.out.printf(
                    "feed backlog: delivered %d, published %d, lost %d, max RSS %d MiB%n",
                    truth.totalTrades(), tally.published(), tally.lost(), rss.maxMegabytes());
        }
    }

    @Test
    void framesAtTheSizeLimitAtFullSpeedIntoASmallHeapNeitherExhaustMemoryNorGoUncounted() throws Exception {
        Topics topics = Topics.create("frame-limit");
        // ~85-95 bytes a trade: 10,000 trades are 0.85-0.95 MiB, just under the default limit of 1 MiB
        SimulatorConfig config = SimulatorConfig.defaults()
                .withToken(IngestToKafkaIT.TOKEN)
                .withTradesPerSecond(0)
                .withTradesPerFrame(10_000)
                .withPingInterval(Duration.ofSeconds(1));
        try (FeedSimulator simulator = FeedSimulator.start(config);
                IngestorProcess ingestor = PackagedIngestor.start(
                        "frame-limit",
                        IngestToKafkaIT.env(simulator, topics, IngestToKafkaIT.TOKEN),
                        "-Xmx128m",
                        "-XX:+ExitOnOutOfMemoryError");
                RssSampler rss = new RssSampler(ingestor)) {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> simulator.groundTruth().totalTrades() > 0);
            Thread.sleep(25_000);
            simulator.close();
            GroundTruth truth = simulator.groundTruth();

            assertThat(ingestor.isAlive()).as("alive (no OutOfMemoryError)").isTrue();
            Tally tally = settled(ingestor, truth.totalTrades());
            assertThat(tally.accounted()).as("published + rejected + lost").isEqualTo(truth.totalTrades());
            assertThat(ingestor.metrics().value("ingestor_frames_dropped_total", "reason", "too_large"))
                    .as("no frame was over the limit")
                    .isZero();
            assertThat(SharedKafka.recordCount(topics.trades())).isEqualTo(tally.published());
            assertThat(ingestor.log()).doesNotContain("OutOfMemoryError");
            assertThat(rss.maxMegabytes()).as("RSS, MiB").isBetween(1L, SMALL_HEAP_RSS_LIMIT_MB);
            System.out.printf(
                    "frames at the limit: %d frames, delivered %d trades, published %d, lost %d, max RSS %d MiB%n",
                    truth.tradeFrames(), truth.totalTrades(), tally.published(), tally.lost(), rss.maxMegabytes());
        }
    }

    @Test
    void kafkaUnreachableWhileTheFeedRunsLosesTradesCountedOneByOneAndKeepsErrorFrames(@TempDir Path dir)
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults()
                        .withToken(IngestToKafkaIT.TOKEN)
                        .withTradesPerSecond(15_000)
                        .withTradesPerFrame(50)
                        .withErrorEveryFrames(200)
                        .withPingInterval(Duration.ofSeconds(1)))) {
            Map<String, String> env = IngestToKafkaIT.env(simulator, Topics.on(broker), IngestToKafkaIT.TOKEN);
            try (IngestorProcess ingestor =
                            PackagedIngestor.start("kafka-backlog", env, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError");
                    RssSampler rss = new RssSampler(ingestor)) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> ingestor.metrics().value("ingestor_trades_published_total") > 10_000);

                broker.stop();
                // 15k trades/s for 20 s: far more than the 81,920 trades the publisher may hold
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> ingestor.metrics().value("ingestor_trades_lost_total", "reason", "buffer_full")
                                > 50_000);
                Thread.sleep(5_000);
                broker.startAgain();
                await().atMost(Duration.ofSeconds(120)).until(() -> ingestor.status("/q/health/ready") == 200);
                Thread.sleep(3_000);
                simulator.close();
                GroundTruth truth = simulator.groundTruth();

                Tally tally = settled(ingestor, truth.totalTrades());
                assertThat(tally.accounted()).as("published + rejected + lost").isEqualTo(truth.totalTrades());
                assertThat(tally.rejected()).isZero();
                assertThat(ingestor.metrics().value("ingestor_trades_lost_total", "reason", "buffer_full"))
                        .isPositive();
                var records = TopicReader.of(broker).readAll(TradeContract.TRADES_TOPIC, Duration.ofSeconds(60));
                assertThat(records).hasSize((int) tally.published());
                assertThat(ingestor.metrics().value("ingestor_feed_errors_total"))
                        .as("error frames are read and counted while Kafka is away")
                        .isEqualTo(truth.errorFrames());
                assertThat(rss.maxMegabytes()).as("RSS, MiB").isBetween(1L, 700L);
                System.out.printf(
                        "kafka backlog: delivered %d, published %d, lost %d, max RSS %d MiB%n",
                        truth.totalTrades(), tally.published(), tally.lost(), rss.maxMegabytes());
            }
        }
    }

    /** Waits until the ingestor has accounted for {@code delivered} trades, or for its counters to stop moving. */
    static Tally settled(IngestorProcess ingestor, long delivered) {
        long[] last = {-1};
        long[] stableSince = {System.nanoTime()};
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Tally t = Tally.of(ingestor);
                    if (t.accounted() != last[0] || ingestor.metrics().value("ingestor_publish_pending") > 0) {
                        last[0] = t.accounted();
                        stableSince[0] = System.nanoTime();
                    }
                    return t.accounted() >= delivered
                            || System.nanoTime() - stableSince[0]
                                    > Duration.ofSeconds(10).toNanos();
                });
        return Tally.of(ingestor);
    }
}
