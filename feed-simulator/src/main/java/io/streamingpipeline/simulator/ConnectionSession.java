package io.streamingpipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One accepted websocket: its subscriptions, its trade stream and its faults. Every method runs on the event loop
 * of its connection, so nothing here needs a lock.
 * <p>
 * Sending is a pump: it writes frames while the socket's write queue has room (then waits for the drain handler),
 * yields to the event loop every few frames, and when a rate is set, spends a token budget refilled by a timer.
 */
final class ConnectionSession {

    private static final int FRAMES_PER_TURN = 16;
    private static final long PACE_TICK_MS = 20;
    private static final long HALF_CLOSED_GRACE_MS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum State {
        STREAMING,
        STALLED,
        CLOSING,
        CLOSED
    }

    private final FeedSimulator simulator;
    private final SimulatorConfig config;
    private final GroundTruthLedger ledger;
    private final ServerWebSocket socket;
    private final String token;
    private final long ordinal;
    private final ReplayScript replay;
    private final Vertx vertx;
    private final Context context;
    private final FeedFrames frames;
    private final Map<String, PriceWalk> walksBySymbol = new HashMap<>();

    private PriceWalk[] subscribed = new PriceWalk[0];
    private State state = State.STREAMING;
    private boolean pumpScheduled;
    private boolean replayStarted;
    private int replayPosition;
    private double budget;
    private long lastRefillNanos;
    private long tradesSent;
    private long tradeFramesSent;
    private boolean dropsExhausted;
    private Future<Void> lastWrite = Future.succeededFuture();
    private long pingTimer = -1;
    private long paceTimer = -1;
    private long dropTimer = -1;
    private boolean replacedWhileStalled;

    /** Must be called on the socket's event loop. */
    ConnectionSession(FeedSimulator simulator, ServerWebSocket socket, String token, long ordinal) {
        this.simulator = simulator;
        this.config = simulator.config();
        this.ledger = simulator.ledger();
        this.replay = simulator.replayScript();
        this.socket = socket;
        this.token = token;
        this.ordinal = ordinal;
        this.vertx = simulator.vertx();
        this.context = vertx.getOrCreateContext();
        this.frames = new FeedFrames(config.seed(), ordinal);
    }

    String token() {
        return token;
    }

    void start() {
        socket.textMessageHandler(this::onClientMessage);
        socket.exceptionHandler(error -> {});
        socket.closeHandler(ignored -> onClosed());
        socket.drainHandler(ignored -> requestPump());
        if (!config.pingInterval().isZero()) {
            pingTimer = vertx.setPeriodic(config.pingInterval().toMillis(), id -> sendPing());
        }
        if (pacingRate() > 0) {
            lastRefillNanos = System.nanoTime();
            paceTimer = vertx.setPeriodic(PACE_TICK_MS, id -> refillBudget());
        }
        if (!config.dropEvery().isZero() && simulator.dropsRemain()) {
            dropTimer = vertx.setTimer(config.dropEvery().toMillis(), id -> {
                if (state == State.STREAMING) {
                    tryDrop();
                }
            });
        }
    }

    /** Another connection came with the same token: the real feed keeps one connection per key. */
    void closeAsReplaced() {
        context.runOnContext(ignored -> {
            if (state == State.STALLED && !config.stallResumeAfter().isZero()) {
                // the close is behind the stall like everything else this connection sends
                replacedWhileStalled = true;
                return;
            }
            if (state == State.STREAMING || state == State.STALLED) {
                state = State.CLOSING;
                cancelTimers();
                socket.close((short) 1000, "replaced by a newer connection");
            }
        });
    }

    private void onClientMessage(String message) {
        if (state != State.STREAMING) {
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(message);
        } catch (IOException notJson) {
            return;
        }
        if (request == null || !request.isObject()) {
            return;
        }
        String symbol = request.path("symbol").asText("");
        if (symbol.isBlank()) {
            return;
        }
        switch (request.path("type").asText("")) {
            case "subscribe" -> subscribe(symbol);
            case "unsubscribe" -> unsubscribe(symbol);
            default -> {}
        }
    }

    private void subscribe(String symbol) {
        if (indexOf(symbol) >= 0) {
            return;
        }
        if (subscribed.length >= config.maxSymbolsPerConnection()) {
            send(FeedFrames.TOO_MANY_SYMBOLS_FRAME, ledger::tooManySymbolsErrorDelivered);
            return;
        }
        PriceWalk walk = walksBySymbol.computeIfAbsent(
                symbol, s -> PriceWalk.create(s, config.seed(), ordinal, config.duplicateProbability()));
        subscribed = Arrays.copyOf(subscribed, subscribed.length + 1);
        subscribed[subscribed.length - 1] = walk;
        ledger.subscribed();
        replayStarted = true;
        requestPump();
    }

    private void unsubscribe(String symbol) {
        int index = indexOf(symbol);
        if (index < 0) {
            return;
        }
        PriceWalk[] remaining = new PriceWalk[subscribed.length - 1];
        System.arraycopy(subscribed, 0, remaining, 0, index);
        System.arraycopy(subscribed, index + 1, remaining, index, remaining.length - index);
        subscribed = remaining;
    }

    private int indexOf(String symbol) {
        for (int i = 0; i < subscribed.length; i++) {
            if (subscribed[i].symbol().equals(symbol)) {
                return i;
            }
        }
        return -1;
    }

    private void requestPump() {
        if (!pumpScheduled && state == State.STREAMING) {
            pumpScheduled = true;
            context.runOnContext(ignored -> pump());
        }
    }

    private void pump() {
        pumpScheduled = false;
        for (int i = 0; i < FRAMES_PER_TURN; i++) {
            if (state != State.STREAMING || socket.isClosed() || socket.writeQueueFull()) {
                return; // the drain handler pumps again
            }
            boolean sent = replay == null ? sendNextTradeFrame() : sendNextReplayFrame();
            if (!sent) {
                return; // a subscription or the budget timer pumps again
            }
        }
        requestPump();
    }

    private boolean sendNextTradeFrame() {
        if (subscribed.length == 0) {
            return false;
        }
        int size = config.tradesPerFrame();
        if (paced()) {
            size = (int) Math.min(size, budget);
            if (size < 1) {
                return false;
            }
        }
        if (dropsArmedByTrades()) {
            size = (int) Math.min(size, config.dropEveryTrades() - tradesSent);
        }
        if (paced()) {
            budget -= size;
        }
        TradeBatch batch = new TradeBatch(subscribed, config.recordTrades(), size);
        String frame = frames.trades(batch, size);
        tradesSent += size;
        tradeFramesSent++;
        send(frame, () -> ledger.tradeBatchDelivered(batch));
        injectAfterTradeFrame();
        if (dropsArmedByTrades() && tradesSent >= config.dropEveryTrades()) {
            tryDrop();
        }
        return true;
    }

    private void injectAfterTradeFrame() {
        if (isNth(config.malformedEveryFrames())) {
            MalformedKind kind = simulator.nextMalformedKind();
            PriceWalk walk = subscribed[(int) (tradeFramesSent % subscribed.length)];
            send(kind.render(walk, System.currentTimeMillis()), () -> ledger.malformedDelivered(kind.expectedReason()));
        }
        if (isNth(config.unknownTypeEveryFrames())) {
            send(FeedFrames.news(tradeFramesSent), ledger::unknownTypeFrameDelivered);
        }
        if (isNth(config.errorEveryFrames())) {
            send(FeedFrames.INJECTED_ERROR_FRAME, ledger::errorFrameDelivered);
        }
    }

    private boolean isNth(int every) {
        return every > 0 && tradeFramesSent % every == 0;
    }

    private boolean sendNextReplayFrame() {
        if (!replayStarted || replayPosition >= replay.frames().size()) {
            return false;
        }
        if (paced()) {
            if (budget < 1) {
                return false;
            }
            budget -= 1;
        }
        ReplayScript.Frame frame = replay.frames().get(replayPosition++);
        send(frame.text(), () -> ledger.replayFrameDelivered(frame));
        tradesSent += frame.trades().size();
        if (dropsArmedByTrades() && tradesSent >= config.dropEveryTrades()) {
            tryDrop();
        }
        return true;
    }

    private void sendPing() {
        if (state == State.STREAMING) {
            send(FeedFrames.PING_FRAME, ledger::pingDelivered);
        }
    }

    /** Counted in the ground truth only once the write has completed on the connection. */
    private void send(String frame, Runnable onDelivered) {
        Future<Void> write = socket.writeTextMessage(frame);
        lastWrite = write;
        write.onSuccess(ignored -> onDelivered.run());
    }

    private double pacingRate() {
        return replay == null ? simulator.tradesPerSecond() : config.replayFramesPerSecond();
    }

    private boolean paced() {
        return pacingRate() > 0;
    }

    private void refillBudget() {
        long now = System.nanoTime();
        double rate = pacingRate();
        double burst = replay == null ? Math.max(config.tradesPerFrame(), rate / 10) : Math.max(1, rate / 10);
        budget = Math.min(burst, budget + rate * (now - lastRefillNanos) / 1e9);
        lastRefillNanos = now;
        requestPump();
    }

    private boolean dropsArmedByTrades() {
        return config.dropEveryTrades() > 0 && !dropsExhausted && simulator.dropsRemain();
    }

    private void tryDrop() {
        if (!simulator.tryReserveDrop()) {
            dropsExhausted = true;
            return;
        }
        ledger.dropPerformed();
        cancelTimers();
        switch (config.dropMode()) {
            case NORMAL -> {
                state = State.CLOSING;
                socket.close((short) 1000);
            }
            case ABNORMAL -> {
                state = State.CLOSING;
                lastWrite.onComplete(ignored -> endWithoutCloseFrame());
            }
            case STALL -> {
                state = State.STALLED;
                if (!config.stallResumeAfter().isZero()) {
                    // a slow path rather than a dead one: not even the client's close frame is read meanwhile
                    ((WebSocketInternal) socket)
                            .channelHandlerContext()
                            .channel()
                            .config()
                            .setAutoRead(false);
                    vertx.setTimer(config.stallResumeAfter().toMillis(), id -> resumeAfterStall());
                }
            }
            default -> throw new IllegalStateException(config.dropMode().name());
        }
    }

    /**
     * Ends the connection with a FIN and no close frame, once everything written so far is on the wire. Only the
     * sending half is shut: a fully closed socket answers any later client frame (a subscribe, a pong) with an RST,
     * and the RST discards whatever the client has not yet taken from the send queue. The socket closes when the
     * client closes its half, or after {@link #HALF_CLOSED_GRACE_MS} at the latest.
     */
    private void endWithoutCloseFrame() {
        // from Vert.x's own handler context: the pipeline's close skips that handler, which would send a close frame
        ChannelHandlerContext context = ((WebSocketInternal) socket).channelHandlerContext();
        if (context.channel() instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
            vertx.setTimer(HALF_CLOSED_GRACE_MS, id -> context.close());
        } else {
            context.close();
        }
    }

    private void resumeAfterStall() {
        if (state != State.STALLED) {
            return;
        }
        state = State.STREAMING;
        for (int i = 0; i < SimulatorConfig.STALL_BURST_FRAMES && subscribed.length > 0; i++) {
            TradeBatch batch = new TradeBatch(subscribed, config.recordTrades(), config.tradesPerFrame());
            String frame = frames.trades(batch, config.tradesPerFrame());
            tradesSent += config.tradesPerFrame();
            tradeFramesSent++;
            send(frame, () -> ledger.tradeBatchDelivered(batch));
        }
        ((WebSocketInternal) socket).channelHandlerContext().channel().config().setAutoRead(true);
        ((WebSocketInternal) socket).channelHandlerContext().channel().read();
        if (replacedWhileStalled) {
            state = State.CLOSING;
            socket.close((short) 1000, "replaced by a newer connection");
            return;
        }
        if (!config.pingInterval().isZero()) {
            pingTimer = vertx.setPeriodic(config.pingInterval().toMillis(), id -> sendPing());
        }
        if (pacingRate() > 0) {
            lastRefillNanos = System.nanoTime();
            paceTimer = vertx.setPeriodic(PACE_TICK_MS, id -> refillBudget());
        }
        requestPump();
    }

    private void onClosed() {
        state = State.CLOSED;
        cancelTimers();
        simulator.sessionClosed(this);
    }

    private void cancelTimers() {
        for (long timer : new long[] {pingTimer, paceTimer, dropTimer}) {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
        pingTimer = paceTimer = dropTimer = -1;
    }
}
