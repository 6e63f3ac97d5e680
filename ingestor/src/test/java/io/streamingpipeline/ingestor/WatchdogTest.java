package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.ingestor.testing.FeedSimulatorResource;
import io.streamingpipeline.ingestor.testing.Metrics;
import io.streamingpipeline.simulator.FeedSimulator;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

/** A connection that stays open but goes silent (no trade, no ping) is abandoned by the watchdog, and the feed resumes. */
@QuarkusTest
@WithTestResource(
        value = FeedSimulatorResource.class,
        initArgs = {
            @ResourceArg(name = "dropEveryTrades", value = "2000"),
            @ResourceArg(name = "dropMode", value = "STALL"),
            @ResourceArg(name = "maxDrops", value = "1"),
            @ResourceArg(name = "idleTimeout", value = "2s")
        })
class WatchdogTest {

    @Inject
    @Connector("smallrye-in-memory")
    InMemoryConnector connector;

    FeedSimulator simulator;

    @Test
    void aStalledConnectionIsReplacedAndTradesFlowAgain() {
        InMemorySink<Trade> trades = connector.sink("trades");
        await().atMost(Duration.ofSeconds(90))
                .until(() -> simulator.groundTruth().drops() == 1);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> Metrics.scrape().value("ingestor_feed_reconnects_total", "cause", "idle") >= 1);
        await().atMost(Duration.ofSeconds(90)).until(() -> trades.received().size() > 4000);
        assertThat(simulator.groundTruth().connectionsAccepted()).isGreaterThanOrEqualTo(2);
        assertThat(Metrics.scrape().value("ingestor_feed_reconnects_total", "cause", "closed"))
                .as("the stalled socket never closed by itself")
                .isZero();
    }
}
