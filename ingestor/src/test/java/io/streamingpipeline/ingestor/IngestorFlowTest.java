package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.ingestor.testing.FeedSimulatorResource;
import io.streamingpipeline.ingestor.testing.Metrics;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.simulator.DeliveredTrade;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

/** The whole ingest path on in-memory channels: what the simulator delivered is exactly what the channels got. */
@QuarkusTest
@WithTestResource(value = FeedSimulatorResource.class, initArgs = @ResourceArg(name = "rate", value = "3000"))
class IngestorFlowTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    FeedSimulator simulator;

    @Test
    void everyDeliveredTradeIsPublishedOnceInOrderAndEveryBadFrameIsDeadLettered() {
        InMemorySink<Trade> trades = connector.sink("trades");
        InMemorySink<DeadLetter> deadLetters = connector.sink("dead-letters");
        await().atMost(Duration.ofSeconds(120))
                .until(() -> trades.received().size() >= 4000
                        && deadLetters.received().size() >= 10);

        // Stop the feed, then wait until the ingestor has handled everything it was sent.
        simulator.close();
        GroundTruth truth = simulator.groundTruth();
        await().atMost(Duration.ofSeconds(30)).until(() -> trades.received().size() == truth.totalTrades());

        List<DeliveredTrade> delivered = simulator.deliveredTrades();
        List<Message<Trade>> received = List.copyOf(trades.received());
        assertThat(received).hasSize(delivered.size());
        for (int i = 0; i < delivered.size(); i++) {
            DeliveredTrade sent = delivered.get(i);
            Trade got = received.get(i).getPayload();
            assertThat(got.symbol()).isEqualTo(sent.symbol());
            assertThat(got.price()).isEqualTo(sent.price());
            assertThat(got.volume()).isEqualTo(sent.volume());
            assertThat(got.timestampUnix()).isEqualTo(sent.timestamp());
            assertThat(got.conditions()).isEqualTo(sent.conditions());
            assertThat(got.id().version()).isEqualTo(7);
            assertThat(got.ingestedAt()).isGreaterThanOrEqualTo(got.timestampUnix() - 1000);
        }
        HashSet<java.util.UUID> ids =
                received.stream().map(m -> m.getPayload().id()).collect(Collectors.toCollection(HashSet::new));
        assertThat(ids).as("one id per trade, duplicates of the feed included").hasSize(received.size());
        assertThat(truth.tradesBySymbol().keySet()).containsExactlyInAnyOrder(FeedSimulatorResource.SYMBOLS.split(","));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters.received().size() == truth.malformedFrames());
        Map<String, Long> lettersByReason = deadLetters.received().stream()
                .collect(Collectors.groupingBy(m -> m.getPayload().reason(), TreeMap::new, Collectors.counting()));
        assertThat(lettersByReason).isEqualTo(new TreeMap<>(truth.malformedByReason()));
        assertThat(deadLetters.received()).allSatisfy(m -> {
            assertThat(m.getPayload().source()).isEqualTo("ingestor");
            assertThat(m.getPayload().raw()).isNotEmpty();
            assertThat(m.getPayload().detail()).isNotEmpty();
        });

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Metrics.scrape().value("ingestor_publish_latency_seconds_count"))
                        .as("one publish latency per trade frame")
                        .isEqualTo(truth.tradeFrames()));
        PrometheusText metrics = Metrics.scrape();
        for (RejectReason reason : RejectReason.values()) {
            assertThat(metrics.value("ingestor_trades_rejected_total", "reason", reason.label()))
                    .as(reason.label())
                    .isEqualTo(truth.malformed(reason));
        }
        assertThat(metrics.value("ingestor_frames_unknown_total", "type", "news"))
                .isEqualTo(truth.unknownTypeFrames());
        assertThat(metrics.value("ingestor_pings_received_total")).isGreaterThan(0);
        assertThat(metrics.value("ingestor_trades_lost_total", "reason", "buffer_full"))
                .isZero();
    }
}
