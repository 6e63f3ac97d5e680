package io.streamingpipeline.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.concurrent.atomic.LongAdder;

/**
 * Not a test: measures the full-speed throughput of one connection on this machine. Run with
 * {@code java -cp <test classpath> io.streamingpipeline.simulator.ThroughputProbe [seconds] [symbols]}.
 * The client only counts frames and bytes; the trade rate is the simulator's ground truth (writes completed).
 */
public final class ThroughputProbe {

    private ThroughputProbe() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int symbols = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Vertx vertx = Vertx.vertx();
        LongAdder bytes = new LongAdder();
        try (FeedSimulator simulator =
                FeedSimulator.start(SimulatorConfig.defaults().withTradesPerSecond(0))) {
            WebSocket socket = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20))
                    .connect(new WebSocketConnectOptions()
                            .setHost("127.0.0.1")
                            .setPort(simulator.port())
                            .setURI("/?token=probe"))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            socket.frameHandler(frame -> bytes.add(frame.binaryData().length()));
            for (int i = 0; i < symbols; i++) {
                String symbol = i == 0 ? "BINANCE:BTCUSDT" : "BINANCE:SYM" + i + "USDT";
                socket.writeTextMessage("{\"type\":\"subscribe\",\"symbol\":\"" + symbol + "\"}");
            }
            Thread.sleep(2_000); // warm-up
            long totalTrades = 0;
            for (int second = 0; second < seconds; second++) {
                long tradesBefore = simulator.groundTruth().totalTrades();
                long bytesBefore = bytes.sum();
                long start = System.nanoTime();
                Thread.sleep(1_000);
                double elapsed = (System.nanoTime() - start) / 1e9;
                long trades = simulator.groundTruth().totalTrades() - tradesBefore;
                totalTrades += trades;
                System.out.printf(
                        "%,d trades/s, %.1f MB/s received%n",
                        Math.round(trades / elapsed), (bytes.sum() - bytesBefore) / elapsed / 1e6);
            }
            System.out.printf("average %,d trades/s over %d s%n", totalTrades / seconds, seconds);
            socket.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
