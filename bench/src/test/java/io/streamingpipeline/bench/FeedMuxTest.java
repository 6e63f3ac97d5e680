package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class FeedMuxTest {

    private static final String PROBE = "BENCH:PROBE";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyProbeTradeTheSimulatorDeliveredReachesTheClientWhenTheProbeClosesFirst() throws Exception {
        FeedSimulator load = FeedSimulator.start(
                SimulatorConfig.defaults().withTradesPerSecond(2_000).withTradesPerFrame(20));
        FeedSimulator probe = FeedSimulator.start(
                SimulatorConfig.defaults().withTradesPerSecond(500).withTradesPerFrame(1));
        AtomicLong probeTrades = new AtomicLong();
        AtomicLong loadTrades = new AtomicLong();
        TradeCounter counter = new TradeCounter(probeTrades, loadTrades);
        try (FeedMux mux = FeedMux.start(load.uri(), probe.uri(), PROBE)) {
            WebSocket ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(mux.uri() + "?token=test"), counter)
                    .get();
            ws.sendText("{\"type\":\"subscribe\",\"symbol\":\"" + PROBE + "\"}", true)
                    .get();
            ws.sendText("{\"type\":\"subscribe\",\"symbol\":\"BINANCE:BTCUSDT\"}", true)
                    .get();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((probeTrades.get() < 300 || loadTrades.get() < 1_000) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(3_000); // a backlog builds up towards the slow client, as towards a busy ingestor
            assertThat(probeTrades.get()).as("probe trades before the close").isGreaterThanOrEqualTo(300);

            // as the benchmark ends a phase: the probe simulator, then the mux's connections, then the load
            probe.close();
            counter.slow = false; // drain the backlog
            assertThat(mux.awaitSessionsClosed(Duration.ofSeconds(30))).isTrue();
            counter.closed.get(30, TimeUnit.SECONDS); // the client has read up to the mux's close

            assertThat(probeTrades.get()).isEqualTo(probe.groundTruth().totalTrades());
        } finally {
            probe.close();
            load.close();
        }
    }

    /** Counts the trades of {@code "trade"} frames, the probe symbol's apart. */
    private static final class TradeCounter implements WebSocket.Listener {

        private final AtomicLong probe;
        private final AtomicLong other;
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean slow = true;
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        TradeCounter(AtomicLong probe, AtomicLong other) {
            this.probe = probe;
            this.other = other;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                count(partial.toString());
                partial.setLength(0);
            }
            if (slow) {
                // a client slower than the feed: the mux's socket to it fills and the mux pauses its upstreams, so
                // the simulators' last frames wait in the sockets to the mux when the phase ends
                LockSupport.parkNanos(3_000_000);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        private void count(String frame) {
            try {
                JsonNode node = JSON.readTree(frame);
                if (!"trade".equals(node.path("type").asText())) {
                    return;
                }
                for (JsonNode trade : node.path("data")) {
                    (PROBE.equals(trade.path("s").asText()) ? probe : other).incrementAndGet();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
