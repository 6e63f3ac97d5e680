package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DropTest extends SimulatorTestBase {

    @Test
    void aNormalDropClosesWith1000AfterExactlyTheConfiguredTrades() throws Exception {
        SimulatorConfig config = quietConfig()
                .withTradesPerSecond(0)
                .withDropEveryTrades(1_050, DropMode.NORMAL)
                .withMaxDrops(1);
        try (FeedSimulator simulator = FeedSimulator.start(config);
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH);

            assertThat(client.closeStatus()).isEqualTo((short) 1000);
            assertThat(client.totalTrades()).isEqualTo(1_050);
            assertThat(simulator.groundTruth().tradesBySymbol()).isEqualTo(client.tradesBySymbol());
            assertThat(simulator.groundTruth().drops()).isEqualTo(1);
        }
    }

    @Test
    void anAbnormalDropSendsNoCloseFrameButDeliversEverythingWritten() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(abnormalDropAfter(20_000));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH, AAPL);

            assertEndedWithoutCloseFrameAfterReceiving(client, simulator, 20_000);
        }
    }

    @Test
    void aFrameTheClientSendsAfterAnAbnormalDropCostsItNoneOfTheTradesWrittenBefore() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(abnormalDropAfter(20_000));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.pause();
            client.subscribe(BTC);
            await().atMost(PATIENCE).until(() -> simulator.groundTruth().totalTrades() == 20_000);
            Thread.sleep(200); // the server ends its side once the writes are on the wire

            // Most of the 20,000 trades still wait in the server's send queue. A fully closed server socket would
            // answer this frame with an RST and drop them.
            client.subscribe(ETH);
            Thread.sleep(200);
            client.resume();

            assertEndedWithoutCloseFrameAfterReceiving(client, simulator, 20_000);
        }
    }

    private static SimulatorConfig abnormalDropAfter(long trades) {
        return quietConfig()
                .withTradesPerSecond(0)
                .withDropEveryTrades(trades, DropMode.ABNORMAL)
                .withMaxDrops(1);
    }

    /** 1006 (no close frame), and every trade written before the drop was received. */
    private static void assertEndedWithoutCloseFrameAfterReceiving(
            FeedTestClient client, FeedSimulator simulator, long trades) throws Exception {
        Short status = client.closeStatus();
        assertThat(status == null || status == 1006)
                .as("close status %s", status)
                .isTrue();
        assertThat(client.totalTrades()).isEqualTo(trades);
        assertThat(simulator.groundTruth().tradesBySymbol()).isEqualTo(client.tradesBySymbol());
    }

    @Test
    void aStallStopsTradesAndPingsButKeepsTheSocketOpen() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withPingInterval(Duration.ofMillis(50))
                .withTradesPerSecond(10_000)
                .withDropEveryTrades(500, DropMode.STALL)
                .withMaxDrops(1);
        try (FeedSimulator simulator = FeedSimulator.start(config);
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC);
            await().atMost(PATIENCE).until(() -> client.totalTrades() == 500);

            await().atMost(PATIENCE).until(() -> client.millisSinceLastFrame() > 700);
            long pings = client.count(FrameClassifier.Kind.PING);
            Thread.sleep(300);
            assertThat(client.count(FrameClassifier.Kind.PING)).isEqualTo(pings);
            assertThat(client.totalTrades()).isEqualTo(500);
            assertThat(client.isClosed()).isFalse();
            assertThat(simulator.groundTruth().drops()).isEqualTo(1);
            assertThat(simulator.activeConnections()).isEqualTo(1);
        }
    }

    @Test
    void aStallThatResumesSendsTheHeldBackFramesThenStreamsOn() throws Exception {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withPingInterval(Duration.ofMillis(50))
                .withTradesPerFrame(10)
                .withTradesPerSecond(10_000)
                .withDropEveryTrades(500, DropMode.STALL)
                .withMaxDrops(1)
                .withStallResumeAfter(Duration.ofMillis(800));
        try (FeedSimulator simulator = FeedSimulator.start(config);
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC);
            await().atMost(PATIENCE).until(() -> client.totalTrades() == 500);
            Thread.sleep(400);
            assertThat(client.totalTrades()).as("nothing during the stall").isEqualTo(500);

            await().atMost(PATIENCE).until(() -> client.totalTrades() > 500 + SimulatorConfig.STALL_BURST_FRAMES * 10);
            assertThat(client.isClosed()).isFalse();
            client.unsubscribe(BTC);
            await().atMost(PATIENCE)
                    .untilAsserted(() ->
                            assertThat(simulator.groundTruth().tradesBySymbol()).isEqualTo(client.tradesBySymbol()));
        }
    }

    @Test
    void dropsStopAfterMaxDropsAndTheGroundTruthMatchesWhatClientsReceivedAcrossConnections() throws Exception {
        SimulatorConfig config = quietConfig()
                .withTradesPerSecond(20_000)
                .withDropEveryTrades(300, DropMode.NORMAL)
                .withMaxDrops(2);
        Map<String, Long> received = new TreeMap<>();
        try (FeedSimulator simulator = FeedSimulator.start(config)) {
            for (int connection = 1; connection <= 2; connection++) {
                try (FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
                    client.subscribe(BTC, ETH);
                    assertThat(client.closeStatus()).isEqualTo((short) 1000);
                    assertThat(client.totalTrades()).isEqualTo(300);
                    client.tradesBySymbol().forEach((symbol, count) -> received.merge(symbol, count, Long::sum));
                }
            }
            try (FeedTestClient behaving = FeedTestClient.connect(vertx, simulator, "t")) {
                behaving.subscribe(BTC, ETH);
                await().atMost(PATIENCE).until(() -> behaving.totalTrades() > 2_000);
                behaving.unsubscribe(BTC, ETH);
                assertThat(behaving.isClosed()).isFalse();

                await().atMost(PATIENCE).untilAsserted(() -> {
                    Map<String, Long> all = new TreeMap<>(received);
                    behaving.tradesBySymbol().forEach((symbol, count) -> all.merge(symbol, count, Long::sum));
                    assertThat(simulator.groundTruth().tradesBySymbol()).isEqualTo(all);
                });
            }
            GroundTruth truth = simulator.groundTruth();
            assertThat(truth.drops()).isEqualTo(2);
            assertThat(truth.connectionsAccepted()).isEqualTo(3);
            assertThat(truth.totalTrades())
                    .isEqualTo(truth.tradesBySymbol().values().stream()
                            .mapToLong(Long::longValue)
                            .sum());
        }
    }

    @Test
    void dropsOnATimeSchedule() throws Exception {
        SimulatorConfig config = quietConfig()
                .withDropEvery(Duration.ofMillis(300), DropMode.NORMAL)
                .withMaxDrops(1);
        try (FeedSimulator simulator = FeedSimulator.start(config);
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC);
            assertThat(client.closeStatus()).isEqualTo((short) 1000);
            assertThat(simulator.groundTruth().drops()).isEqualTo(1);
        }
    }
}
