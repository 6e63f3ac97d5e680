package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;

class PacingTest extends SimulatorTestBase {

    @Test
    void aConfiguredRateIsRoughlyHonoured() throws Exception {
        int rate = 2_000;
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withTradesPerSecond(rate));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH);
            await().atMost(PATIENCE).until(() -> client.totalTrades() > 0);
            long before = client.totalTrades();
            long start = System.nanoTime();
            Thread.sleep(1_500);
            long trades = client.totalTrades() - before;
            double seconds = (System.nanoTime() - start) / 1e9;

            // Loose bounds: a token bucket never sends much more than rate * time + one burst,
            // and a slow CI machine may send less, but not 4 times less.
            assertThat((double) trades).isLessThanOrEqualTo(rate * seconds + 2 * rate / 10.0 + 100);
            assertThat((double) trades).isGreaterThanOrEqualTo(rate * seconds / 4);
            assertThat(client.classifiedFrames())
                    .allSatisfy(frame -> assertThat(frame.trades()).hasSizeBetween(1, 100));
        }
    }

    @Test
    void aChangedRateTakesOverOnTheOpenConnection() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withTradesPerSecond(500));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH);
            await().atMost(PATIENCE).until(() -> client.totalTrades() > 0);
            double slow = tradesPerSecondOver(client, 1_500);
            simulator.changeTradesPerSecond(8_000);
            Thread.sleep(200);
            double fast = tradesPerSecondOver(client, 1_500);

            // the same loose bounds as above: at most the rate plus a burst, at least a quarter of it
            assertThat(slow).isLessThanOrEqualTo(500 + (2 * 50 + 100) / 1.5);
            assertThat(fast).isGreaterThanOrEqualTo(8_000 / 4.0);
            assertThat(simulator.groundTruth().connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void onlyAPacedFeedChangesItsRate() {
        try (FeedSimulator unpaced = FeedSimulator.start(quietConfig().withTradesPerSecond(0));
                FeedSimulator paced = FeedSimulator.start(quietConfig().withTradesPerSecond(100))) {
            assertThatThrownBy(() -> unpaced.changeTradesPerSecond(1_000))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only a paced simulator");
            assertThatThrownBy(() -> paced.changeTradesPerSecond(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(">= 1");
        }
    }

    private static double tradesPerSecondOver(FeedTestClient client, long millis) throws InterruptedException {
        long before = client.totalTrades();
        long start = System.nanoTime();
        Thread.sleep(millis);
        return (client.totalTrades() - before) / ((System.nanoTime() - start) / 1e9);
    }
}
