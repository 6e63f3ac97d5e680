package io.streamingpipeline.simulator;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PfxOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** A real Vert.x websocket client that keeps every text frame it receives. */
final class FeedTestClient implements AutoCloseable {

    private final WebSocketClient client;
    private final WebSocket socket;
    private final ConcurrentLinkedQueue<String> frames = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<Short> closeStatus = new CompletableFuture<>();
    private volatile long lastFrameNanos = System.nanoTime();

    private FeedTestClient(WebSocketClient client, WebSocket socket) {
        this.client = client;
        this.socket = socket;
        socket.textMessageHandler(frame -> {
            frames.add(frame);
            lastFrameNanos = System.nanoTime();
        });
        socket.exceptionHandler(error -> {});
        socket.closeHandler(ignored -> closeStatus.complete(socket.closeStatusCode()));
    }

    static FeedTestClient connect(Vertx vertx, FeedSimulator simulator, String token) throws Exception {
        WebSocketClient client = newClient(vertx, simulator);
        try {
            WebSocket socket = client.connect(options(simulator, token))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            return new FeedTestClient(client, socket);
        } catch (Exception e) {
            client.close();
            throw e;
        }
    }

    /** The cause of a refused handshake, or null if it was accepted (and then closed). */
    static Throwable handshakeFailure(Vertx vertx, FeedSimulator simulator, String token) throws Exception {
        WebSocketClient client = newClient(vertx, simulator);
        try {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            client.connect(options(simulator, token)).onComplete(result -> {
                if (result.succeeded()) {
                    result.result().close();
                }
                failure.complete(result.cause());
            });
            return failure.get(10, TimeUnit.SECONDS);
        } finally {
            client.close();
        }
    }

    /** A client that trusts the simulator's certificate, and only it, when the simulator serves wss. */
    private static WebSocketClient newClient(Vertx vertx, FeedSimulator simulator) {
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setMaxFrameSize(FeedSimulator.MAX_FRAME_BYTES)
                .setMaxMessageSize(4 * FeedSimulator.MAX_FRAME_BYTES);
        TlsKeyStore tls = simulator.config().tls();
        if (tls != null) {
            options.setSsl(true)
                    .setVerifyHost(true)
                    .setTrustOptions(new PfxOptions()
                            .setPath(tls.trustStore().toString())
                            .setPassword(tls.password()));
        }
        return vertx.createWebSocketClient(options);
    }

    private static WebSocketConnectOptions options(FeedSimulator simulator, String token) {
        return new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(simulator.port())
                .setSsl(simulator.config().tls() != null)
                .setURI(
                        token == null
                                ? "/"
                                : simulator.uri(token).getRawPath() + "?"
                                        + simulator.uri(token).getRawQuery());
    }

    void subscribe(String... symbols) {
        for (String symbol : symbols) {
            socket.writeTextMessage("{\"type\":\"subscribe\",\"symbol\":\"" + symbol + "\"}");
        }
    }

    /** Stops reading: what the server sends waits in the socket buffers. */
    void pause() {
        socket.pause();
    }

    void resume() {
        socket.resume();
    }

    void unsubscribe(String... symbols) {
        for (String symbol : symbols) {
            socket.writeTextMessage("{\"type\":\"unsubscribe\",\"symbol\":\"" + symbol + "\"}");
        }
    }

    List<String> frames() {
        return new ArrayList<>(frames);
    }

    List<FrameClassifier.Classified> classifiedFrames() {
        return frames().stream().map(FrameClassifier::classify).toList();
    }

    /** Valid trade elements received, by symbol. */
    Map<String, Long> tradesBySymbol() {
        Map<String, Long> counts = new TreeMap<>();
        for (FrameClassifier.Classified frame : classifiedFrames()) {
            for (FrameClassifier.ReceivedTrade trade : frame.trades()) {
                counts.merge(trade.symbol(), 1L, Long::sum);
            }
        }
        return counts;
    }

    List<FrameClassifier.ReceivedTrade> trades() {
        return classifiedFrames().stream()
                .flatMap(frame -> frame.trades().stream())
                .toList();
    }

    long totalTrades() {
        return tradesBySymbol().values().stream().mapToLong(Long::longValue).sum();
    }

    long count(FrameClassifier.Kind kind) {
        return classifiedFrames().stream().filter(frame -> frame.kind() == kind).count();
    }

    boolean isClosed() {
        return closeStatus.isDone();
    }

    /** The close frame's status, null when the connection ended without one (1006); waits up to 10 s. */
    Short closeStatus() throws Exception {
        return closeStatus.get(10, TimeUnit.SECONDS);
    }

    long millisSinceLastFrame() {
        return (System.nanoTime() - lastFrameNanos) / 1_000_000;
    }

    @Override
    public void close() {
        socket.close();
        client.close();
    }
}
