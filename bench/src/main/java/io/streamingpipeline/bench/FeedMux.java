package io.streamingpipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A websocket in front of two feed simulators, for the ingestor a single Finnhub feed: subscriptions to the probe
 * symbol go to the probe simulator (a low fixed rate), all others to the load simulator; the frames of both are
 * forwarded unchanged, with back-pressure (an upstream is paused while the ingestor's socket is full). The ingestor
 * subscribes to at most 50 symbols on one connection and the simulator spreads its rate evenly over the subscribed
 * symbols, so this is how one symbol gets a rate of its own. Everything runs on one event loop.
 */
final class FeedMux implements AutoCloseable {

    private static final int MAX_FRAME_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI load;
    private final URI probe;
    private final String probeSymbol;
    private final Vertx vertx;
    private final WebSocketClient client;
    private final AtomicLong framesForwarded = new AtomicLong();
    private final AtomicInteger openSessions = new AtomicInteger();
    private HttpServer server;

    private FeedMux(URI load, URI probe, String probeSymbol) {
        this.load = load;
        this.probe = probe;
        this.probeSymbol = probeSymbol;
        this.vertx = Vertx.vertx(
                new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        this.client = vertx.createWebSocketClient(
                new WebSocketClientOptions().setMaxFrameSize(MAX_FRAME_BYTES).setMaxMessageSize(4 * MAX_FRAME_BYTES));
    }

    /** Listens on a free port of 127.0.0.1; {@code load} and {@code probe} are the simulators' {@code ws://} URIs. */
    static FeedMux start(URI load, URI probe, String probeSymbol) {
        FeedMux mux = new FeedMux(load, probe, probeSymbol);
        try {
            mux.server = await(mux.vertx
                    .createHttpServer(new HttpServerOptions()
                            .setHost("127.0.0.1")
                            .setPort(0)
                            .setMaxWebSocketFrameSize(MAX_FRAME_BYTES)
                            .setMaxWebSocketMessageSize(4 * MAX_FRAME_BYTES))
                    .webSocketHandler(mux::accept)
                    .listen());
            return mux;
        } catch (RuntimeException e) {
            mux.close();
            throw e;
        }
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.actualPort() + "/");
    }

    long framesForwarded() {
        return framesForwarded.get();
    }

    /**
     * Waits until no ingestor connection is open. A session closes when one of its upstreams does, after forwarding
     * every frame that upstream sent before its close: closing a simulator and then waiting here means the ingestor
     * was handed all of that simulator's frames.
     */
    boolean awaitSessionsClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openSessions.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void accept(ServerWebSocket down) {
        if (!"/".equals(down.path())) {
            down.close((short) 1008, "unknown path");
            return;
        }
        new Session(down).connect();
    }

    /** One ingestor connection and its two upstream connections. */
    private final class Session {
        private final ServerWebSocket down;
        private final List<String> pendingLoad = new ArrayList<>();
        private final List<String> pendingProbe = new ArrayList<>();
        private WebSocket upLoad;
        private WebSocket upProbe;
        private boolean closed;

        Session(ServerWebSocket down) {
            this.down = down;
        }

        void connect() {
            openSessions.incrementAndGet();
            String query = down.query() == null ? "" : "?" + down.query();
            down.textMessageHandler(this::fromIngestor);
            down.exceptionHandler(e -> {});
            down.closeHandler(v -> closeAll());
            down.drainHandler(v -> resume());
            client.connect(options(load, query)).onComplete(ar -> {
                if (ar.failed()) {
                    closeAll();
                    return;
                }
                upLoad = wire(ar.result());
                pendingLoad.forEach(upLoad::writeTextMessage);
                pendingLoad.clear();
            });
            client.connect(options(probe, query)).onComplete(ar -> {
                if (ar.failed()) {
                    closeAll();
                    return;
                }
                upProbe = wire(ar.result());
                pendingProbe.forEach(upProbe::writeTextMessage);
                pendingProbe.clear();
            });
        }

        private WebSocket wire(WebSocket up) {
            if (closed) {
                up.close();
                return up;
            }
            up.exceptionHandler(e -> {});
            up.closeHandler(v -> closeAll());
            up.textMessageHandler(text -> {
                if (closed || down.isClosed()) {
                    closeAll();
                    return;
                }
                down.writeTextMessage(text);
                framesForwarded.incrementAndGet();
                if (down.writeQueueFull()) {
                    pauseUpstreams();
                }
            });
            return up;
        }

        private void fromIngestor(String message) {
            boolean toProbe = false;
            try {
                JsonNode node = JSON.readTree(message);
                toProbe = node != null && probeSymbol.equals(node.path("symbol").asText(""));
            } catch (IOException notJson) {
                // forwarded to the load simulator, which ignores it as Finnhub would
            }
            if (toProbe) {
                if (upProbe == null) {
                    pendingProbe.add(message);
                } else {
                    upProbe.writeTextMessage(message);
                }
            } else if (upLoad == null) {
                pendingLoad.add(message);
            } else {
                upLoad.writeTextMessage(message);
            }
        }

        private void pauseUpstreams() {
            if (upLoad != null) {
                upLoad.pause();
            }
            if (upProbe != null) {
                upProbe.pause();
            }
        }

        private void resume() {
            if (upLoad != null) {
                upLoad.resume();
            }
            if (upProbe != null) {
                upProbe.resume();
            }
        }

        private void closeAll() {
            if (closed) {
                return;
            }
            closed = true;
            openSessions.decrementAndGet();
            for (WebSocket up : new WebSocket[] {upLoad, upProbe}) {
                if (up != null && !up.isClosed()) {
                    up.close();
                }
            }
            if (!down.isClosed()) {
                down.close();
            }
        }
    }

    private static WebSocketConnectOptions options(URI target, String query) {
        return new WebSocketConnectOptions()
                .setHost(target.getHost())
                .setPort(target.getPort())
                .setURI((target.getPath() == null || target.getPath().isEmpty() ? "/" : target.getPath()) + query);
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // stopping anyway
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("feed mux: " + e.getMessage(), e);
        }
    }
}
