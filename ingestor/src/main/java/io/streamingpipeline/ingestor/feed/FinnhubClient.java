package io.streamingpipeline.ingestor.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.smallrye.mutiny.Uni;
import io.streamingpipeline.ingestor.config.FeedSettings;
import io.streamingpipeline.ingestor.logging.SecretRedaction;
import io.streamingpipeline.ingestor.metrics.IngestorMetrics;
import io.streamingpipeline.ingestor.publish.TradePublisher;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one connection to the Finnhub websocket: connect, subscribe to every symbol, hand each message to the
 * {@link FrameHandler}; on any loss reconnect with {@link Backoff} and subscribe again (subscriptions do not survive
 * a reconnect); a watchdog reconnects when nothing arrives for {@code finnhub.watchdog.idle-timeout}.
 *
 * <p>Every attempt gets a generation number, so that late events of an abandoned connection are ignored.
 */
@ApplicationScoped
public class FinnhubClient {

    public enum State {
        DISCONNECTED, CONNECTING, CONNECTED, SUBSCRIBED
    }

    static final Duration DROP_LOG_INTERVAL = Duration.ofSeconds(10);

    private final Instance<BasicWebSocketConnector> connectors;
    private final Vertx vertx;
    private final FeedSettings settings;
    private final FrameHandler frames;
    private final IngestorMetrics metrics;
    private final TradePublisher publisher;
    private final ObjectMapper mapper;
    private final Backoff backoff;
    private final Duration flushTimeout;

    private final AtomicReference<State> state = new AtomicReference<>(State.DISCONNECTED);
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private volatile boolean behind;
    private final AtomicLong generation = new AtomicLong();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicLong lastMessageNanos = new AtomicLong(System.nanoTime());
    private volatile WebSocketClientConnection connection;
    private volatile boolean stopping;
    private volatile long watchdogTimer = -1;

    public FinnhubClient(Instance<BasicWebSocketConnector> connectors, Vertx vertx, FeedSettings settings,
                         FrameHandler frames, IngestorMetrics metrics, TradePublisher publisher, ObjectMapper mapper,
                         @ConfigProperty(name = "ingestor.shutdown.flush-timeout", defaultValue = "30s") Duration flushTimeout) {
        this.connectors = connectors;
        this.vertx = vertx;
        this.settings = settings;
        this.frames = frames;
        this.metrics = metrics;
        this.publisher = publisher;
        this.mapper = mapper;
        this.flushTimeout = flushTimeout;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), settings.jitter(),
                () -> ThreadLocalRandom.current().nextDouble());
        SecretRedaction.register(settings.token());
    }

    void onStart(@Observes StartupEvent event) {
        Gauge.builder("ingestor.feed.connection.state", state, s -> s.get().ordinal())
                .description("0 disconnected, 1 connecting, 2 connected, 3 subscribed").register(metrics.registry());
        Gauge.builder("ingestor.feed.last.message.age.seconds", lastMessageNanos, n -> (System.nanoTime() - n.get()) / 1e9)
                .description("Seconds since the last message (trade, ping, anything) from the feed").register(metrics.registry());
        Gauge.builder("ingestor.feed.subscribed.symbols", state, s -> s.get() == State.SUBSCRIBED ? settings.symbols().size() : 0)
                .description("Symbols subscribed on the current connection").register(metrics.registry());
        Gauge.builder("ingestor.publish.pending", publisher, TradePublisher::pending)
                .description("Trades sent to Kafka and not yet acknowledged").register(metrics.registry());
        Log.infof("Feed %s, %d symbol(s): %s", settings.url(), settings.symbols().size(), settings.symbols());
        watchdogTimer = vertx.setPeriodic(1000, id -> checkIdle());
        vertx.setPeriodic(DROP_LOG_INTERVAL.toMillis(), id -> reportDrops());
        connect();
    }

    /** Runs before the Kafka connector closes, so that what was read is flushed: stop reading, then wait for acks. */
    void onStop(@Observes @Priority(10) ShutdownEvent event) {
        stopping = true;
        if (watchdogTimer >= 0) {
            vertx.cancelTimer(watchdogTimer);
        }
        WebSocketClientConnection c = connection;
        if (c != null && c.isOpen()) {
            try {
                c.close().await().atMost(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                Log.debugf("Closing the feed connection: %s", SecretRedaction.describe(e));
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
        if (publisher.pending() > 0) {
            Log.errorf("Shut down with %d trade(s) not acknowledged by Kafka after %s; they may be lost.",
                    publisher.pending(), flushTimeout);
        } else {
            Log.info("Feed closed and every trade read was acknowledged by Kafka.");
        }
    }

    private void connect() {
        if (stopping) {
            return;
        }
        long gen = generation.incrementAndGet();
        state.set(State.CONNECTING);
        BasicWebSocketConnector connector = connectors.get();
        connector.baseUri(settings.connectUri())
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .customizeOptions((connect, client) -> {
                    client.setMaxMessageSize(settings.maxMessageBytes());
                    client.setMaxFrameSize(settings.maxMessageBytes());
                    client.setConnectTimeout((int) settings.connectTimeout().toMillis());
                    connect.setTimeout(settings.connectTimeout().toMillis());
                })
                .onTextMessage((c, text) -> onText(gen, text))
                .onClose((c, reason) -> onClose(gen, reason, connector))
                .onError((c, t) -> Log.warnf("Feed connection error: %s", SecretRedaction.describe(t)));
        connector.connect()
                .ifNoItem().after(settings.connectTimeout().plusSeconds(1)).fail()
                .subscribe().with(c -> onOpen(gen, c), failure -> onConnectFailed(gen, failure, connector));
    }

    private void onOpen(long gen, WebSocketClientConnection c) {
        if (stopping || gen != generation.get()) {
            c.close().subscribe().with(ok -> { }, f -> { });
            return;
        }
        connection = c;
        lastMessageNanos.set(System.nanoTime());
        state.set(State.CONNECTED);
        List<Uni<Void>> subscriptions = new ArrayList<>();
        for (String symbol : settings.symbols()) {
            subscriptions.add(c.sendText(subscribeMessage(symbol)));
        }
        Uni.join().all(subscriptions).andFailFast().subscribe().with(
                ok -> {
                    if (gen == generation.get() && state.compareAndSet(State.CONNECTED, State.SUBSCRIBED)) {
                        Log.infof("Connected to %s and subscribed to %d symbol(s)", settings.url(), settings.symbols().size());
                    }
                },
                failure -> {
                    Log.warnf("Subscribing failed (%s); reconnecting", SecretRedaction.describe(failure));
                    c.close().subscribe().with(ok -> { }, f -> { });
                });
    }

    private String subscribeMessage(String symbol) {
        try {
            return mapper.writeValueAsString(Map.of("type", "subscribe", "symbol", symbol));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void onText(long gen, String text) {
        long nanos = System.nanoTime();
        if (gen == generation.get()) {
            lastMessageNanos.set(nanos);
        }
        String dropped = dropReason();
        if (dropped != null) {
            metrics.frameDropped(dropped);
            if (droppedSinceLog.getAndIncrement() == 0) {
                String why = dropped.equals(IngestorMetrics.DROPPED_FEED_BACKLOG)
                        ? "the ingestor is more than " + InboundBacklog.MAX_MESSAGES + " messages behind the feed, until "
                                + "fewer than " + InboundBacklog.RESUME_BELOW + " wait"
                        : "Kafka has not acknowledged the trades already sent, until it does";
                Log.errorf("Dropping feed messages unread: %s (their trades are LOST; counted in "
                        + "ingestor_frames_dropped_total, summary every %d s)", why, DROP_LOG_INTERVAL.toSeconds());
            }
            return;
        }
        // Messages of an abandoned connection are still real trades: handle them too.
        if (frames.handle(text, System.currentTimeMillis(), nanos)) {
            failedAttempts.set(0);
        }
    }

    /**
     * Why this message is dropped unread, or null: too many messages wait to be handled (the client has no
     * back-pressure), or the publisher already holds as many trades as it may (parsing would only lose them).
     */
    private String dropReason() {
        int backlog = InboundBacklog.queuedMessages();
        if (backlog > InboundBacklog.MAX_MESSAGES || (behind && backlog > InboundBacklog.RESUME_BELOW)) {
            behind = true;
            return IngestorMetrics.DROPPED_FEED_BACKLOG;
        }
        behind = false;
        return publisher.full() ? IngestorMetrics.DROPPED_KAFKA_BACKLOG : null;
    }

    private void reportDrops() {
        long n = droppedSinceLog.getAndSet(0);
        if (n > 1) {
            Log.errorf("DROPPED %d feed messages unread in the last %d s: the ingestor is behind the feed, or Kafka behind "
                    + "the ingestor (ingestor_frames_dropped_total by reason)", n - 1, DROP_LOG_INTERVAL.toSeconds());
        }
    }

    private void onClose(long gen, CloseReason reason, BasicWebSocketConnector connector) {
        connectors.destroy(connector);
        if (stopping || gen != generation.get()) {
            return;
        }
        connection = null;
        state.set(State.DISCONNECTED);
        metrics.reconnect("closed");
        Duration delay = nextDelay();
        Log.warnf("Feed connection closed (code %d%s); reconnecting in %d ms", reason.getCode(),
                reason.getMessage() == null || reason.getMessage().isEmpty() ? "" : ", " + SecretRedaction.redact(reason.getMessage()),
                delay.toMillis());
        vertx.setTimer(delay.toMillis(), id -> connect());
    }

    private void onConnectFailed(long gen, Throwable failure, BasicWebSocketConnector connector) {
        connectors.destroy(connector);
        if (stopping || gen != generation.get()) {
            return;
        }
        state.set(State.DISCONNECTED);
        metrics.reconnect("connect_failed");
        Duration delay = nextDelay();
        if (failure instanceof UpgradeRejectedException rejected && (rejected.getStatus() == 401 || rejected.getStatus() == 403)) {
            Log.errorf("Finnhub rejected the token (HTTP %d): check FINNHUB_TOKEN or FINNHUB_TOKEN_FILE. Retrying in %d ms.",
                    rejected.getStatus(), delay.toMillis());
        } else if (failure instanceof UpgradeRejectedException rejected && rejected.getStatus() == 429) {
            Log.errorf("Finnhub is rate-limiting this token (HTTP 429; only one connection per token is allowed). Retrying in %d ms.",
                    delay.toMillis());
        } else {
            Log.warnf("Cannot connect to %s (%s); retrying in %d ms", settings.url(), SecretRedaction.describe(failure), delay.toMillis());
        }
        vertx.setTimer(delay.toMillis(), id -> connect());
    }

    private Duration nextDelay() {
        return backoff.delay(failedAttempts.getAndIncrement());
    }

    private void checkIdle() {
        State s = state.get();
        if (stopping || (s != State.CONNECTED && s != State.SUBSCRIBED)) {
            return;
        }
        long idleNanos = System.nanoTime() - lastMessageNanos.get();
        if (idleNanos < settings.idleTimeout().toNanos()) {
            return;
        }
        Log.warnf("Nothing from the feed for %d s (watchdog timeout %s): reconnecting", Duration.ofNanos(idleNanos).toSeconds(),
                settings.idleTimeout());
        metrics.reconnect("idle");
        WebSocketClientConnection stale = connection;
        connection = null;
        state.set(State.DISCONNECTED);
        connect();
        if (stale != null) {
            stale.close().subscribe().with(ok -> { }, f -> { });
        }
    }

    public State state() {
        return state.get();
    }

    public Duration lastMessageAge() {
        return Duration.ofNanos(System.nanoTime() - lastMessageNanos.get());
    }

    public int subscribedSymbols() {
        return state.get() == State.SUBSCRIBED ? settings.symbols().size() : 0;
    }
}
