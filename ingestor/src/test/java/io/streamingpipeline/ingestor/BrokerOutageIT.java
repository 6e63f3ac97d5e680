package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.ingestor.IngestToKafkaIT.Topics;
import io.streamingpipeline.ingestor.feed.FinnhubClient;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.ingestor.testing.Tally;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
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
 * The broker goes away and comes back. Stopped for 10 s under load: readiness goes DOWN then UP, and nothing read is
 * lost. Stalled (SIGSTOP) while trades come faster than the publisher may keep waiting for it: the feed is held until
 * the broker catches up, and nothing is lost either.
 */
class BrokerOutageIT {

    /** A feed of 500 trades/s in frames of 10, each trade recorded for the reconciliation. */
    static SimulatorConfig recordedFeed() {
        return SimulatorConfig.defaults()
                .withToken(IngestToKafkaIT.TOKEN)
                .withTradesPerSecond(500)
                .withTradesPerFrame(10)
                .withPingInterval(Duration.ofSeconds(1))
                .withRecordTrades(true);
    }

    /**
     * A packaged ingestor on the contract's topics of {@code broker}, unready after 3 s without an acknowledgement,
     * once it is ready and has published 1,000 trades.
     */
    static IngestorProcess publishing(String name, FeedSimulator simulator, KafkaBroker broker) {
        return publishing(name, simulator, broker, "-Xmx512m");
    }

    /** As {@link #publishing(String, FeedSimulator, KafkaBroker)}, the ingestor started with {@code jvmOptions}. */
    static IngestorProcess publishing(String name, FeedSimulator simulator, KafkaBroker broker, String... jvmOptions) {
        Map<String, String> env = IngestToKafkaIT.env(simulator, Topics.on(broker), IngestToKafkaIT.TOKEN);
        env.put("INGESTOR_HEALTH_MAX_ACK_DELAY", "3s");
        IngestorProcess ingestor = PackagedIngestor.start(name, env, jvmOptions);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> ingestor.status("/q/health/ready") == 200);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> ingestor.metrics().value("ingestor_trades_published_total") > 1000);
            return ingestor;
        } catch (RuntimeException | Error notPublishing) {
            ingestor.close();
            throw notPublishing;
        }
    }

    @Test
    void readinessFollowsTheBrokerAndNoTradeIsLost(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                FeedSimulator simulator = FeedSimulator.start(recordedFeed())) {
            try (IngestorProcess ingestor = publishing("broker-outage", simulator, broker)) {
                broker.stop();
                long stoppedAt = System.nanoTime();
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> ingestor.status("/q/health/ready") == 503);
                long sleepMillis =
                        10_000 - Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis();
                Thread.sleep(Math.max(0, sleepMillis));
                assertThat(ingestor.status("/q/health/ready")).isEqualTo(503);
                assertThat(ingestor.status("/q/health/live"))
                        .as("liveness does not depend on Kafka")
                        .isEqualTo(200);
                broker.startAgain();

                await().atMost(Duration.ofSeconds(180)).until(() -> ingestor.status("/q/health/ready") == 200);
                simulator.close();
                GroundTruth truth = simulator.groundTruth();
                await().atMost(Duration.ofSeconds(180))
                        .until(() ->
                                ingestor.metrics().value("ingestor_trades_published_total") >= truth.totalTrades());

                var records = TopicReader.of(broker).readAll(TradeContract.TRADES_TOPIC, Duration.ofSeconds(30));
                assertThat(records).hasSize((int) truth.totalTrades());
                IngestToKafkaIT.assertSameTradesPerSymbol(simulator.deliveredTrades(), records);
                assertThat(ingestor.metrics().value("ingestor_trades_lost_total"))
                        .isZero();
            }
        }
    }

    @Test
    void aStalledBrokerHoldsTheFeedBackInsteadOfLosingTrades(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults()
                        .withToken(IngestToKafkaIT.TOKEN)
                        .withTradesPerSecond(10_000)
                        .withTradesPerFrame(50)
                        .withPingInterval(Duration.ofSeconds(1)))) {
            Map<String, String> env = IngestToKafkaIT.env(simulator, Topics.on(broker), IngestToKafkaIT.TOKEN);
            try (IngestorProcess ingestor = PackagedIngestor.start("broker-stall", env)) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> ingestor.metrics().value("ingestor_trades_published_total") > 20_000);

                // 10k trades/s against a broker that answers nothing: the publisher's 81,920 are reached in ~8 s
                signal(broker.pid(), "STOP");
                try {
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> ingestor.metrics().value("ingestor_feed_holds_total") >= 1);
                    Thread.sleep(3_000);
                } finally {
                    signal(broker.pid(), "CONT");
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> ingestor.metrics().value("ingestor_feed_held_seconds_total") > 0);
                assertThat(ingestor.metrics().value("ingestor_feed_holds_total"))
                        .as("holds")
                        .isEqualTo(1);
                await().atMost(Duration.ofSeconds(60)).until(() -> ingestor.status("/q/health/ready") == 200);
                Thread.sleep(3_000);
                simulator.close();
                GroundTruth truth = simulator.groundTruth();

                Tally tally = OverloadIT.settled(ingestor, truth.totalTrades());
                assertThat(tally.lost()).as("trades lost").isZero();
                assertThat(tally.published()).as("published").isEqualTo(truth.totalTrades());
                assertThat(ingestor.metrics().value("ingestor_feed_held_seconds_total"))
                        .as("seconds held: from the limit until the broker came back")
                        .isGreaterThan(2.0)
                        .isLessThan(FinnhubClient.MAX_HOLD.toSeconds());
                assertThat(TopicReader.of(broker)
                                .readAll(TradeContract.TRADES_TOPIC, Duration.ofSeconds(60))
                                .size())
                        .isEqualTo(truth.totalTrades());
            }
        }
    }

    /** Sends a signal to a process by its PID (SIGSTOP: the broker stalls without closing a connection). */
    private static void signal(long pid, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        assertThat(kill.waitFor()).as("kill -" + signal + " " + pid).isZero();
    }
}
