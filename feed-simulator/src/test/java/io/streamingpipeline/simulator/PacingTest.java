package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
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
}
