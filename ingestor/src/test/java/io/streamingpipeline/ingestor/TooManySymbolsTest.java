package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamingpipeline.ingestor.testing.FeedSimulatorResource;
import io.streamingpipeline.ingestor.testing.Metrics;
import io.streamingpipeline.simulator.FeedSimulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A plan that allows fewer symbols than configured: the error frame is counted, the service keeps running. */
@QuarkusTest
@WithTestResource(
        value = FeedSimulatorResource.class,
        initArgs = {
            @ResourceArg(name = "maxSymbols", value = "2"),
            @ResourceArg(name = "symbols", value = "BINANCE:BTCUSDT,BINANCE:ETHUSDT,COINBASE:BTC-USD,AAPL")
        })
class TooManySymbolsTest {

    FeedSimulator simulator;

    @Test
    void tooManySymbolsIsCountedAndTradesOfTheAcceptedOnesStillFlow() {
        await().atMost(Duration.ofSeconds(90))
                .until(() -> Metrics.scrape().value("ingestor_feed_errors_total", "kind", "too_many_symbols") >= 2);
        assertThat(simulator.groundTruth().tooManySymbolsErrors()).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(90))
                .until(() -> Metrics.scrape().value("ingestor_trades_received_total") > 0);
        assertThat(simulator.groundTruth().tradesBySymbol().keySet())
                .containsExactlyInAnyOrder("BINANCE:BTCUSDT", "BINANCE:ETHUSDT");
    }
}
