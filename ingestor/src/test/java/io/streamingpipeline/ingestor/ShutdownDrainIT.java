package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.ingestor.IngestToKafkaIT.Topics;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.ingestor.testing.Tally;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.kafka.SharedKafka;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM in the middle of a burst: the ingestor closes the feed, handles every message read before the close
 * completes, waits for Kafka, and only then reports. Reconciled with the simulator: every trade delivered is in Kafka
 * or counted (on this loaded machine Kafka can fall behind 20k trades/s: those are counted {@code buffer_full}).
 */
class ShutdownDrainIT {

    @Test
    void sigtermMidBurstPublishesEveryTradeTheFeedDelivered() throws Exception {
        Topics topics = Topics.create("sigterm");
        SimulatorConfig config = SimulatorConfig.defaults()
                .withToken(IngestToKafkaIT.TOKEN)
                .withTradesPerSecond(20_000)
                .withTradesPerFrame(100)
                .withPingInterval(Duration.ofSeconds(1));
        try (FeedSimulator simulator = FeedSimulator.start(config);
                IngestorProcess ingestor = PackagedIngestor.start(
                        "sigterm", IngestToKafkaIT.env(simulator, topics, IngestToKafkaIT.TOKEN))) {
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> ingestor.metrics().value("ingestor_trades_published_total") > 100_000);

            assertThat(ingestor.terminate(Duration.ofSeconds(60)))
                    .as("exit code after SIGTERM")
                    .isIn(0, 143);
            GroundTruth truth = simulator.groundTruth();
            simulator.close();

            String log = ingestor.log();
            Tally tally = Tally.fromLog(log);
            assertThat(log)
                    .contains("every trade read was acknowledged by Kafka or counted")
                    .doesNotContain("Shut down with");
            assertThat(tally.accounted()).as("published + rejected + lost").isEqualTo(truth.totalTrades());
            assertThat(log.substring(log.lastIndexOf("Tally:")))
                    .as("nothing failed in Kafka at shutdown")
                    .contains("kafka_error=0");
            assertThat(SharedKafka.recordCount(topics.trades())).as("in Kafka").isEqualTo(tally.published());
            System.out.printf(
                    "SIGTERM mid-burst: delivered %d, published %d, lost %d%n",
                    truth.totalTrades(), tally.published(), tally.lost());
        }
    }
}
