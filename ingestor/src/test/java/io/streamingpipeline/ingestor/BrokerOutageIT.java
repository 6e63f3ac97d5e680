package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.kafka.TopicReader;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker stops for 10 s under load and comes back: readiness goes DOWN then UP, and nothing read is lost. */
class BrokerOutageIT {

    @Test
    void readinessFollowsTheBrokerAndNoTradeIsLost(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults()
                        .withToken(IngestToKafkaIT.TOKEN)
                        .withTradesPerSecond(500)
                        .withTradesPerFrame(10)
                        .withPingInterval(Duration.ofSeconds(1))
                        .withRecordTrades(true))) {
            broker.createTopics(Topic.defaultPartitionsByName());
            Map<String, String> env = new LinkedHashMap<>();
            env.put("FINNHUB_URL", simulator.uri().toString());
            env.put(TradeContract.Env.FINNHUB_TOKEN, IngestToKafkaIT.TOKEN);
            env.put("FINNHUB_SYMBOLS", IngestToKafkaIT.SYMBOLS);
            env.put(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, broker.bootstrapServers());
            env.put("INGESTOR_HEALTH_MAX_ACK_DELAY", "3s");
            try (IngestorProcess ingestor = PackagedIngestor.start("broker-outage", env)) {
                await().atMost(Duration.ofSeconds(120)).until(() -> ingestor.status("/q/health/ready") == 200);
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> ingestor.metrics().value("ingestor_trades_published_total") > 1000);

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
}
