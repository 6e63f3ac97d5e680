package io.streamingpipeline.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PfxOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the Finnhub trades websocket on {@code ws://127.0.0.1:<port>/?token=...} (or {@code wss://}), plus
 * {@code GET /ground-truth} and {@code GET /health} on the same port. Each instance owns its own small Vert.x,
 * so a JVM can run many; {@link #close()} stops it.
 */
public final class FeedSimulator implements AutoCloseable {

    /** Frames up to this size go out as one websocket frame; larger ones are fragmented. */
    static final int MAX_FRAME_BYTES = 1024 * 1024;

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final SimulatorConfig config;
    private final Vertx vertx;
    private final GroundTruthLedger ledger;
    private final ReplayScript replayScript;
    private final Map<String, ConnectionSession> sessionsByToken = new ConcurrentHashMap<>();
    private final AtomicLong connectionOrdinals = new AtomicLong();
    private final AtomicInteger dropsReserved = new AtomicInteger();
    private final AtomicLong malformedInjections = new AtomicLong();
    private final AtomicInteger tradesPerSecond;
    private HttpServer server;

    private FeedSimulator(SimulatorConfig config, Vertx vertx, ReplayScript replayScript) {
        this.config = config;
        this.vertx = vertx;
        this.ledger = new GroundTruthLedger(config.recordTrades());
        this.replayScript = replayScript;
        this.tradesPerSecond = new AtomicInteger(config.tradesPerSecond());
    }

    /** Binds and returns once the port is listening. */
    public static FeedSimulator start(SimulatorConfig config) {
        ReplayScript replay = config.replayFile() == null ? null : ReplayScript.load(config.replayFile());
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(Math.min(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        FeedSimulator simulator = new FeedSimulator(config, vertx, replay);
        try {
            simulator.listen();
            return simulator;
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
    }

    private void listen() {
        HttpServer httpServer = vertx.createHttpServer(new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxWebSocketFrameSize(MAX_FRAME_BYTES)
                .setMaxWebSocketMessageSize(4 * MAX_FRAME_BYTES)
                .setSsl(config.tls() != null)
                .setKeyCertOptions(
                        config.tls() == null
                                ? null
                                : new PfxOptions()
                                        .setPath(config.tls().keyStore().toString())
                                        .setPassword(config.tls().password())));
        httpServer.requestHandler(this::handleRequest);
        server = await(httpServer.listen(), "listen on " + config.host() + ":" + config.port());
    }

    /** The bound port (the real one when the config asked for 0). */
    public int port() {
        return server.actualPort();
    }

    /** {@code ws://127.0.0.1:<port>/} ({@code wss://} with {@link SimulatorConfig#tls()}), without the token. */
    public URI uri() {
        String host = "0.0.0.0".equals(config.host()) || "::".equals(config.host()) ? "127.0.0.1" : config.host();
        return URI.create((config.tls() == null ? "ws" : "wss") + "://" + host + ":" + port() + "/");
    }

    /** {@link #uri()} with {@code ?token=}: a secret, do not log it. */
    public URI uri(String token) {
        return URI.create(uri() + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    public SimulatorConfig config() {
        return config;
    }

    /**
     * Paces every connection, open or later, at {@code rate} trades per second from its next pacing tick: a feed that
     * gets busier or quieter without a reconnect. Only for a simulator started paced ({@code tradesPerSecond > 0}) and
     * not replaying a script.
     */
    public void changeTradesPerSecond(int rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be >= 1 trade per second, was " + rate);
        }
        if (config.tradesPerSecond() == 0 || replayScript != null) {
            throw new IllegalStateException(
                    "only a paced simulator (tradesPerSecond > 0, no replay file) changes its rate");
        }
        tradesPerSecond.set(rate);
    }

    /** The paced rate per connection: the configured one, or the last {@link #changeTradesPerSecond}. */
    int tradesPerSecond() {
        return tradesPerSecond.get();
    }

    public GroundTruth groundTruth() {
        return ledger.snapshot();
    }

    /** Every trade delivered so far, in delivery order per connection; empty unless {@code recordTrades}. */
    public List<DeliveredTrade> deliveredTrades() {
        return ledger.deliveredTrades();
    }

    /** Zeroes every count and forgets recorded trades; drops already performed still count against maxDrops. */
    public void resetGroundTruth() {
        ledger.reset();
    }

    /** Open websocket connections. */
    public int activeConnections() {
        return sessionsByToken.size();
    }

    @Override
    public void close() {
        try {
            await(vertx.close(), "stop");
        } catch (IllegalStateException e) {
            // already closed, or stuck: nothing more to do
        }
    }

    private void handleRequest(HttpServerRequest request) {
        if (request.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
            if ("/".equals(request.path())) {
                handleHandshake(request);
            } else {
                request.response().setStatusCode(404).end();
            }
            return;
        }
        if (request.method() != HttpMethod.GET) {
            request.response().setStatusCode(405).end();
            return;
        }
        switch (request.path()) {
            case "/ground-truth" ->
                request.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(groundTruth().toJson());
            case "/health" ->
                request.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end("{\"status\":\"UP\"}");
            default -> request.response().setStatusCode(404).end();
        }
    }

    private void handleHandshake(HttpServerRequest request) {
        String token = request.getParam("token");
        if (!accepts(token)) {
            ledger.handshakeRejected();
            request.response().setStatusCode(401).end("Unauthorized");
            return;
        }
        request.toWebSocket().onSuccess(socket -> onConnected(socket, token));
    }

    private boolean accepts(String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        return config.token() == null
                || MessageDigest.isEqual(
                        config.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private void onConnected(ServerWebSocket socket, String token) {
        ConnectionSession session = new ConnectionSession(this, socket, token, connectionOrdinals.getAndIncrement());
        ledger.connectionAccepted();
        ConnectionSession previous = sessionsByToken.put(token, session);
        if (previous != null) {
            previous.closeAsReplaced();
        }
        session.start();
    }

    void sessionClosed(ConnectionSession session) {
        sessionsByToken.remove(session.token(), session);
    }

    boolean dropsRemain() {
        return config.dropsConfigured() && dropsReserved.get() < config.maxDrops();
    }

    boolean tryReserveDrop() {
        int reserved;
        do {
            reserved = dropsReserved.get();
            if (reserved >= config.maxDrops()) {
                return false;
            }
        } while (!dropsReserved.compareAndSet(reserved, reserved + 1));
        return true;
    }

    MalformedKind nextMalformedKind() {
        MalformedKind[] kinds = MalformedKind.values();
        return kinds[(int) (malformedInjections.getAndIncrement() % kinds.length)];
    }

    Vertx vertx() {
        return vertx;
    }

    GroundTruthLedger ledger() {
        return ledger;
    }

    ReplayScript replayScript() {
        return replayScript;
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage()
                    .toCompletableFuture()
                    .get(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "feed simulator could not " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("feed simulator timed out waiting to " + what, e);
        }
    }
}
