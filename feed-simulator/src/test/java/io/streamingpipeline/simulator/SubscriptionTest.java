package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubscriptionTest extends SimulatorTestBase {

    @Test
    void sendsTradesForSubscribedSymbolsOnlyAndStopsOnUnsubscribe() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withTradesPerSecond(5_000));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH);
            await().atMost(PATIENCE)
                    .until(() -> client.tradesBySymbol().getOrDefault(ETH, 0L) > 200
                            && client.tradesBySymbol().getOrDefault(BTC, 0L) > 200);
            assertThat(client.tradesBySymbol()).containsOnlyKeys(BTC, ETH);

            client.unsubscribe(ETH);
            await().atMost(PATIENCE).untilAsserted(() -> {
                List<FrameClassifier.Classified> frames = client.classifiedFrames();
                List<FrameClassifier.Classified> lastFrames =
                        frames.subList(Math.max(0, frames.size() - 20), frames.size());
                assertThat(lastFrames).hasSize(20);
                assertThat(lastFrames)
                        .allSatisfy(frame -> assertThat(frame.trades())
                                .allSatisfy(trade -> assertThat(trade.symbol()).isEqualTo(BTC)));
            });
        }
    }

    @Test
    void answersThe51stSymbolWithTheExactErrorFrameAndDoesNotSubscribeIt() throws Exception {
        List<String> symbols =
                IntStream.rangeClosed(1, 51).mapToObj(i -> "SYM" + i).toList();
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withTradesPerSecond(20_000));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(symbols.toArray(String[]::new));
            await().atMost(PATIENCE)
                    .until(() -> client.totalTrades() > 5_000
                            && client.frames().contains(FeedFrames.TOO_MANY_SYMBOLS_FRAME));

            assertThat(FeedFrames.TOO_MANY_SYMBOLS_FRAME)
                    .isEqualTo("{\"type\":\"error\",\"msg\":\"Subscribing to too many symbols\"}");
            assertThat(client.tradesBySymbol()).doesNotContainKey("SYM51").hasSize(50);
            assertThat(simulator.groundTruth().subscribes()).isEqualTo(50);
            assertThat(simulator.groundTruth().tooManySymbolsErrors()).isEqualTo(1);
        }
    }

    @Test
    void theSymbolLimitIsConfigurable() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withMaxSymbolsPerConnection(2));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH, BTC, AAPL);
            await().atMost(PATIENCE).until(() -> client.frames().contains(FeedFrames.TOO_MANY_SYMBOLS_FRAME));
            await().atMost(PATIENCE).until(() -> client.totalTrades() > 100);
            assertThat(client.tradesBySymbol()).containsOnlyKeys(BTC, ETH);
            assertThat(client.frames())
                    .filteredOn(FeedFrames.TOO_MANY_SYMBOLS_FRAME::equals)
                    .hasSize(1);
        }
    }

    @Test
    void subscriptionsDoNotSurviveAReconnect() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig())) {
            try (FeedTestClient first = FeedTestClient.connect(vertx, simulator, "t")) {
                first.subscribe(BTC);
                await().atMost(PATIENCE).until(() -> first.totalTrades() > 0);
            }
            try (FeedTestClient second = FeedTestClient.connect(vertx, simulator, "t")) {
                Thread.sleep(300);
                assertThat(second.frames()).isEmpty();
                second.subscribe(ETH);
                await().atMost(PATIENCE).until(() -> second.totalTrades() > 0);
                assertThat(second.tradesBySymbol()).containsOnlyKeys(ETH);
            }
        }
    }
}
