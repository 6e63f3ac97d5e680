package io.streamingpipeline.ingestor.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.streamingpipeline.ingestor.config.FeedConfig;
import io.streamingpipeline.ingestor.config.FeedEndpoint;
import io.streamingpipeline.ingestor.logging.SecretRedaction;
import io.streamingpipeline.ingestor.metrics.IngestorMetrics;
import io.streamingpipeline.ingestor.publish.TradePublisher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one connection to the Finnhub websocket: connect, subscribe to every symbol, hand each message to the
 * {@link FrameHandler}; on any loss reconnect with {@link Backoff} and subscribe again (subscriptions do not survive
 * a reconnect); a watchdog reconnects when nothing arrives for {@code finnhub.watchdog.idle-timeout}.
 *
 * <p>Each message is handled on the connection's event loop as it is read, before the next one is read: nothing
 * queues inside the ingestor, and a feed faster than the ingestor is held back by TCP. Memory for the feed is one
 * message of at most {@code finnhub.max-message-bytes} plus the socket's buffers.
 *
 * <p>A slow Kafka holds the feed back too, for a while: when the publisher has as many trades waiting for Kafka's
 * acknowledgement as it may ({@link TradePublisher#full()}), the connection is not read until Kafka has caught up
 * ({@link TradePublisher#caughtUp()}), for {@link #MAX_HOLD} at most (half the watchdog's idle timeout if that is
 * shorter). A broker that stalls for a few seconds (a leader election, a GC pause, a busy machine) then costs no
 * trade: the feed waits in TCP and on Finnhub's side. A hold that runs out is not repeated until Kafka has caught up:
 * meanwhile the feed is read, and trades that find the publisher full are lost and counted, as a feed that cannot be
 * held for long must be ({@code ingestor_feed_holds_total}, {@code ingestor_feed_held_seconds_total}).
 *
 * <p>Every attempt gets a generation number. A connection the watchdog gives up on is closed, and the next one is
 * opened only once it is closed; what it still delivers meanwhile is counted and discarded, never published, so two
 * connections never feed Kafka at once (on the real feed they would carry the same trades).
 */
@ApplicationScoped
public class FinnhubClient {

    public enum State {
        DISCONNECTED,
        CONNECTING,
        CONNECTED,
        SUBSCRIBED
    }

    /** How long a close may wait for the feed's close frame before the TCP connection is closed anyway. */
    static final int CLOSING_TIMEOUT_SECONDS = 5;
    /** The longest the feed is held (not read) while Kafka catches up. */
    public static final Duration MAX_HOLD = Duration.ofSeconds(10);

    private static final long HOLD_CHECK_MILLIS = 10;

    private final Vertx vertx;
    private final FeedConfig config;
    private final FeedEndpoint endpoint;
    private final FrameHandler frames;
    private final IngestorMetrics metrics;
    private final TradePublisher publisher;
    private final ObjectMapper mapper;
    private final Backoff backoff;
    private final Duration flushTimeout;
    private final FeedGaps gaps;

    private final AtomicReference<State> state = new AtomicReference<>(State.DISCONNECTED);
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicLong lastMessageNanos = new AtomicLong(System.nanoTime());
    private volatile WebSocketClient client;
    private volatile WebSocket connection;
    private volatile boolean stopping;
    private volatile long watchdogTimer = -1;
    private final Duration maxHold;
    // the hold: the connection not read while Kafka catches up (guarded by this)
    private WebSocket held;
    private long heldSinceNanos;
    private long holdTimer = -1;
    /** A hold ran out: no other until Kafka has caught up. */
    private volatile boolean holdSpent;

    public FinnhubClient(
            Vertx vertx,
            FeedConfig config,
            FeedEndpoint endpoint,
            FrameHandler frames,
            IngestorMetrics metrics,
            TradePublisher publisher,
            ObjectMapper mapper,
            FeedGaps gaps,
            @ConfigProperty(name = "ingestor.shutdown.flush-timeout") Duration flushTimeout) {
        this.vertx = vertx;
        this.config = config;
        this.endpoint = endpoint;
        this.frames = frames;
        this.metrics = metrics;
        this.publisher = publisher;
        this.mapper = mapper;
        this.gaps = gaps;
        this.flushTimeout = flushTimeout;
        Duration halfIdle = config.watchdog().idleTimeout().dividedBy(2);
        this.maxHold = halfIdle.compareTo(MAX_HOLD) < 0 ? halfIdle : MAX_HOLD;
        this.backoff = new Backoff(
                config.reconnect().initialBackoff(),
                config.reconnect().maxBackoff(),
                config.reconnect().jitter(),
                () -> ThreadLocalRandom.current().nextDouble());
        SecretRedaction.register(endpoint.token());
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("ingestor.feed.connection.state", state, s -> s.get().ordinal())
                .description("0 disconnected, 1 connecting, 2 connected, 3 subscribed")
                .register(metrics.registry());
        Gauge.builder(
                        "ingestor.feed.last.message.age.seconds",
                        lastMessageNanos,
                        n -> (System.nanoTime() - n.get()) / 1e9)
                .description("Seconds since the last message (trade, ping, anything) from the feed")
                .register(metrics.registry());
        Gauge.builder(
                        "ingestor.feed.subscribed.symbols",
                        state,
                        s -> s.get() == State.SUBSCRIBED ? config.symbols().size() : 0)
                .description("Symbols subscribed on the current connection")
                .register(metrics.registry());
        Gauge.builder("ingestor.publish.pending", publisher, TradePublisher::pending)
                .description("Trades sent to Kafka and not yet acknowledged")
                .register(metrics.registry());
        Log.infof("Feed %s, %d symbol(s): %s", endpoint.url(), config.symbols().size(), config.symbols());
        client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(config.maxMessageBytes())
                .setMaxMessageSize(config.maxMessageBytes())
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setClosingTimeout(CLOSING_TIMEOUT_SECONDS)
                .setVerifyHost(true));
        watchdogTimer = vertx.setPeriodic(1000, id -> checkIdle());
        gaps.disconnected(FeedGaps.Reason.STARTING);
        connect();
    }

    /**
     * Runs before the Kafka connector closes: stop reading (close the feed, and wait until it is closed, so every
     * message read was handled), then wait for Kafka to acknowledge what was handed to it.
     */
    void onStop(@Observes @Priority(10) ShutdownEvent event) {
        stopping = true;
        if (watchdogTimer >= 0) {
            vertx.cancelTimer(watchdogTimer);
        }
        WebSocket c = connection;
        if (c != null) {
            try {
                closed(c).toCompletionStage().toCompletableFuture().get(CLOSING_TIMEOUT_SECONDS + 2, TimeUnit.SECONDS);
            } catch (Exception e) {
                Log.warnf("The feed connection did not close cleanly: %s", SecretRedaction.describe(e));
            }
        }
        state.set(State.DISCONNECTED);
        long deadline = System.nanoTime() + flushTimeout.toNanos();
        while (publisher.pending() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // trades still unacknowledged at exit are neither published nor lost for sure: they are stated separately
        String tally = metrics.tally() + " trades_unacknowledged=" + publisher.pending();
        if (publisher.pending() > 0) {
            Log.errorf(
                    "Shut down with %d trade(s) not acknowledged by Kafka after %s; they may be lost. %s",
                    publisher.pending(), flushTimeout, tally);
        } else {
            Log.infof("Feed closed and every trade read was acknowledged by Kafka or counted. %s", tally);
        }
    }

    private void connect() {
        if (stopping) {
            return;
        }
        long gen = generation.incrementAndGet();
        state.set(State.CONNECTING);
        URI uri = endpoint.connectUri();
        boolean tls = "wss".equalsIgnoreCase(uri.getScheme());
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(uri.getHost())
                .setPort(uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80)
                .setSsl(tls)
                .setURI(path + query)
                .setTimeout(config.connectTimeout().toMillis());
        client.connect(options).onComplete(result -> {
            if (result.succeeded()) {
                onOpen(gen, result.result());
            } else {
                onConnectFailed(gen, result.cause());
            }
        });
    }

    private void onOpen(long gen, WebSocket ws) {
        if (stopping || gen != generation.get()) {
            ws.close();
            return;
        }
        connection = ws;
        lastMessageNanos.set(System.nanoTime());
        state.set(State.CONNECTED);
        ws.textMessageHandler(text -> onText(gen, ws, text));
        ws.binaryMessageHandler(data -> onBinary(gen, data));
        ws.exceptionHandler(t -> onException(gen, t));
        ws.closeHandler(ignored -> onClose(gen, ws));
        List<Future<Void>> subscriptions = new ArrayList<>();
        for (String symbol : config.symbols()) {
            subscriptions.add(ws.writeTextMessage(subscribeMessage(symbol)));
        }
        Future.all(subscriptions).onComplete(done -> {
            if (done.failed()) {
                Log.warnf("Subscribing failed (%s); reconnecting", SecretRedaction.describe(done.cause()));
                ws.close();
            } else if (gen == generation.get() && state.compareAndSet(State.CONNECTED, State.SUBSCRIBED)) {
                gaps.connected();
                Log.infof(
                        "Connected to %s and subscribed to %d symbol(s)",
                        endpoint.url(), config.symbols().size());
            }
        });
    }

    private String subscribeMessage(String symbol) {
        try {
            return mapper.writeValueAsString(Map.of("type", "subscribe", "symbol", symbol));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void onText(long gen, WebSocket ws, String text) {
        long nanos = System.nanoTime();
        if (gen != generation.get()) {
            frames.discard(text, IngestorMetrics.DROPPED_STALE_CONNECTION, System.currentTimeMillis());
            return;
        }
        lastMessageNanos.set(nanos);
        if (frames.handle(text, System.currentTimeMillis(), nanos)) {
            failedAttempts.set(0);
        }
        holdIfKafkaIsBehind(ws);
    }

    /** Stops reading {@code ws} while Kafka catches up (see the class comment). */
    private void holdIfKafkaIsBehind(WebSocket ws) {
        if (holdSpent && publisher.caughtUp()) {
            holdSpent = false;
        }
        if (holdSpent || stopping || !publisher.full()) {
            return;
        }
        synchronized (this) {
            if (held != null) {
                return;
            }
            ws.pause();
            held = ws;
            heldSinceNanos = System.nanoTime();
            holdTimer = vertx.setPeriodic(HOLD_CHECK_MILLIS, id -> checkHold());
            metrics.feedHoldStarted();
        }
        Log.debugf("%d trades wait for Kafka: the feed is held until it catches up", publisher.pending());
    }

    private void checkHold() {
        boolean caughtUp = publisher.caughtUp();
        long heldNanos;
        synchronized (this) {
            if (held == null) {
                return;
            }
            heldNanos = System.nanoTime() - heldSinceNanos;
            boolean outOfTime = heldNanos >= maxHold.toNanos();
            if (!caughtUp && !outOfTime && !stopping) {
                return;
            }
            holdSpent = !caughtUp && outOfTime;
            releaseHold();
        }
        if (holdSpent) {
            Log.warnf(
                    "Kafka has not caught up after the feed was held for %d ms (%d trades still wait for it): reading "
                            + "the feed again; trades that find the publisher full are lost, counted in "
                            + "ingestor_trades_lost_total{reason=\"buffer_full\"}",
                    Duration.ofNanos(heldNanos).toMillis(), publisher.pending());
        }
    }

    /** Reads the held connection again; nothing when none is held. */
    private synchronized void releaseHold() {
        if (held == null) {
            return;
        }
        vertx.cancelTimer(holdTimer);
        holdTimer = -1;
        metrics.feedHoldEnded(System.nanoTime() - heldSinceNanos);
        WebSocket ws = held;
        held = null;
        ws.resume();
    }

    private void onBinary(long gen, Buffer data) {
        if (gen == generation.get()) {
            lastMessageNanos.set(System.nanoTime());
        }
        frames.binary(data.length(), System.currentTimeMillis());
    }

    /**
     * A message over the size limit is reported here: one frame over it makes Netty close the connection (1009), a
     * message of several frames over it is discarded by Vert.x while the connection stays open.
     */
    private void onException(long gen, Throwable t) {
        String message = String.valueOf(t.getMessage());
        boolean frameTooLarge = t instanceof CorruptedWebSocketFrameException corrupted
                && corrupted.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
        if (frameTooLarge || message.contains("overflow max message size")) {
            metrics.frameDropped(IngestorMetrics.DROPPED_TOO_LARGE);
            if (frameTooLarge && gen == generation.get()) {
                gaps.pendingReason(FeedGaps.Reason.TOO_LARGE);
            }
            Log.errorf(
                    "A feed message larger than finnhub.max-message-bytes (FINNHUB_MAX_MESSAGE_BYTES = %d) was dropped unread; "
                            + "its trades are lost (counted in ingestor_frames_dropped_total{reason=\"too_large\"}). "
                            + "Raise FINNHUB_MAX_MESSAGE_BYTES if the feed sends such messages.",
                    config.maxMessageBytes());
        } else {
            Log.warnf("Feed connection error: %s", SecretRedaction.describe(t));
        }
    }

    private void onClose(long gen, WebSocket ws) {
        releaseHold();
        if (stopping || gen != generation.get()) {
            return;
        }
        connection = null;
        state.set(State.DISCONNECTED);
        metrics.reconnect("closed");
        gaps.disconnected(FeedGaps.Reason.CLOSED);
        Duration delay = nextDelay();
        Short code = ws.closeStatusCode();
        String reason = ws.closeReason();
        Log.warnf(
                "Feed connection closed (code %s%s); reconnecting in %d ms",
                code == null ? "none" : code.toString(),
                reason == null || reason.isEmpty() ? "" : ", " + SecretRedaction.redact(reason),
                delay.toMillis());
        vertx.setTimer(delay.toMillis(), id -> connect());
    }

    private void onConnectFailed(long gen, Throwable failure) {
        if (stopping || gen != generation.get()) {
            return;
        }
        state.set(State.DISCONNECTED);
        metrics.reconnect("connect_failed");
        gaps.disconnected(FeedGaps.Reason.CONNECT_FAILED);
        Duration delay = nextDelay();
        if (failure instanceof UpgradeRejectedException rejected
                && (rejected.getStatus() == 401 || rejected.getStatus() == 403)) {
            Log.errorf(
                    "Finnhub rejected the token (HTTP %d): check FINNHUB_TOKEN or FINNHUB_TOKEN_FILE. Retrying in %d ms.",
                    rejected.getStatus(), delay.toMillis());
        } else if (failure instanceof UpgradeRejectedException rejected && rejected.getStatus() == 429) {
            Log.errorf(
                    "Finnhub is rate-limiting this token (HTTP 429; only one connection per token is allowed). Retrying in %d ms.",
                    delay.toMillis());
        } else if (isTlsFailure(failure)) {
            Log.errorf(
                    "The TLS handshake with %s failed (%s): this JVM does not trust the feed's certificate, or the"
                            + " certificate is not for the URL's host. The ingestor trusts the JDK's CA certificates;"
                            + " a private CA goes in a trust store, -Djavax.net.ssl.trustStore=... (in the image:"
                            + " appended to JAVA_OPTS_APPEND). Retrying in %d ms.",
                    endpoint.url(), SecretRedaction.describe(failure), delay.toMillis());
        } else {
            Log.warnf(
                    "Cannot connect to %s (%s); retrying in %d ms",
                    endpoint.url(), SecretRedaction.describe(failure), delay.toMillis());
        }
        vertx.setTimer(delay.toMillis(), id -> connect());
    }

    private static boolean isTlsFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private Duration nextDelay() {
        return backoff.delay(failedAttempts.getAndIncrement());
    }

    private void checkIdle() {
        State s = state.get();
        WebSocket stale = connection;
        if (stopping || stale == null || (s != State.CONNECTED && s != State.SUBSCRIBED)) {
            return;
        }
        long idleNanos = System.nanoTime() - lastMessageNanos.get();
        if (idleNanos < config.watchdog().idleTimeout().toNanos()) {
            return;
        }
        Log.warnf(
                "Nothing from the feed for %d s (watchdog timeout %s): closing the connection, then reconnecting",
                Duration.ofNanos(idleNanos).toSeconds(), config.watchdog().idleTimeout());
        metrics.reconnect("idle");
        // From here on, whatever the stale connection still delivers is discarded and counted.
        generation.incrementAndGet();
        connection = null;
        state.set(State.DISCONNECTED);
        gaps.disconnected(FeedGaps.Reason.IDLE, Duration.ofNanos(idleNanos));
        closed(stale).onComplete(done -> connect());
    }

    /**
     * Closes the connection and completes once it is closed (the feed answered, or the closing timeout passed). A held
     * connection is read again first: the feed's close frame comes after what it sent before.
     */
    private Future<Void> closed(WebSocket ws) {
        releaseHold();
        if (ws.isClosed()) {
            return Future.succeededFuture();
        }
        Promise<Void> closed = Promise.promise();
        ws.closeHandler(ignored -> closed.tryComplete());
        ws.close().onFailure(closed::tryFail);
        return closed.future();
    }

    public State state() {
        return state.get();
    }

    public Duration lastMessageAge() {
        return Duration.ofNanos(System.nanoTime() - lastMessageNanos.get());
    }

    public int subscribedSymbols() {
        return state.get() == State.SUBSCRIBED ? config.symbols().size() : 0;
    }
}
