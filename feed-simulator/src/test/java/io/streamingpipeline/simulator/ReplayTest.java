package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayTest extends SimulatorTestBase {

    private static Path sampleFile() throws Exception {
        return Path.of(
                ReplayTest.class.getResource("/replay/sample-frames.jsonl").toURI());
    }

    @Test
    void replaysEachLineAsOneFrameInOrderAndCountsItsTrades() throws Exception {
        List<String> lines = Files.readAllLines(sampleFile()).stream()
                .filter(line -> !line.isBlank())
                .toList();
        try (FeedSimulator simulator = FeedSimulator.start(
                        quietConfig().withReplay(sampleFile(), 0).withRecordTrades(true));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe("BINANCE:BTCUSDT");
            await().atMost(PATIENCE).until(() -> client.frames().size() == lines.size());
            await().atMost(PATIENCE).until(() -> simulator.groundTruth().replayFrames() == lines.size());

            assertThat(client.frames()).isEqualTo(lines);
            GroundTruth truth = simulator.groundTruth();
            assertThat(truth.tradesBySymbol())
                    .isEqualTo(Map.of("BINANCE:BTCUSDT", 3L, "BINANCE:ETHUSDT", 1L, "AAPL", 1L));
            assertThat(truth.totalTrades()).isEqualTo(5);
            assertThat(truth.tradeFrames()).isEqualTo(3);
            assertThat(truth.pings()).isEqualTo(1);
            assertThat(truth.unknownTypeFrames()).isEqualTo(1);
            assertThat(simulator.deliveredTrades())
                    .hasSize(5)
                    .startsWith(
                            new DeliveredTrade("BINANCE:BTCUSDT", 97123.45, 1764000000123L, 0.0123, null, false),
                            new DeliveredTrade("BINANCE:ETHUSDT", 3501.2, 1764000000100L, 1.5, null, true),
                            new DeliveredTrade("BINANCE:BTCUSDT", 97124, 1764000000200L, 0, List.of("1", "12"), false));
        }
    }

    @Test
    void aReplayRateSpacesTheFrames() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withReplay(sampleFile(), 10));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            long start = System.nanoTime();
            client.subscribe("BINANCE:BTCUSDT");
            await().atMost(PATIENCE).until(() -> client.frames().size() == 5);
            // 5 frames at 10 frames/s with a burst of one frame: at least 4 intervals of 100 ms.
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
        }
    }
}
