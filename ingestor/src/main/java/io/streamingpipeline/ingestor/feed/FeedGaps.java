package io.streamingpipeline.ingestor.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.streamingpipeline.ingestor.config.FeedConfig;
import io.streamingpipeline.ingestor.metrics.IngestorMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the ingestor could not see. Finnhub has no replay: trades sent while the ingestor is not subscribed are never
 * seen, so the time without a subscribed connection is measured, by why the connection was lost
 * ({@code ingestor_feed_gap_seconds_total{reason}}, plus {@code ingestor_feed_disconnected_seconds} for a gap still
 * open), and per symbol the time since its last trade ({@code ingestor_feed_symbol_last_trade_age_seconds{symbol}}).
 */
@ApplicationScoped
public class FeedGaps {

    /** Why the feed was not subscribed. */
    public enum Reason {
        /** From the ingestor's start to its first subscription. */
        STARTING,
        /** The feed closed the connection (or the network did). */
        CLOSED,
        /** A connection attempt failed (refused, timed out, token rejected), then backing off. */
        CONNECT_FAILED,
        /** Nothing arrived for the watchdog's timeout; the gap counts from the last message. */
        IDLE,
        /** A message over {@code finnhub.max-message-bytes} closed the connection. */
        TOO_LARGE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Reason, Counter> gapSeconds = new EnumMap<>(Reason.class);
    private final Map<String, AtomicLong> lastTradeNanos = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private Reason openReason;
    private long openSinceNanos;
    private Reason nextReason;

    public FeedGaps(IngestorMetrics metrics, FeedConfig settings) {
        for (Reason r : Reason.values()) {
            gapSeconds.put(
                    r,
                    Counter.builder("ingestor.feed.gap.seconds")
                            .description(
                                    "Seconds the feed was not subscribed, by why (trades sent meanwhile are never seen)")
                            .tag("reason", r.label())
                            .register(metrics.registry()));
        }
        Gauge.builder("ingestor.feed.disconnected.seconds", this, FeedGaps::openGapSeconds)
                .description("Seconds since the feed was last subscribed; 0 while subscribed")
                .register(metrics.registry());
        for (String symbol : settings.symbols()) {
            AtomicLong last = new AtomicLong(startNanos);
            lastTradeNanos.put(symbol, last);
            Gauge.builder("ingestor.feed.symbol.last.trade.age.seconds", last, n -> (System.nanoTime() - n.get()) / 1e9)
                    .description("Seconds since the last trade of this symbol (since the start if none yet)")
                    .tag("symbol", symbol)
                    .register(metrics.registry());
        }
    }

    /** A trade of {@code symbol} arrived; symbols not subscribed are ignored (they would make labels unbounded). */
    void trade(String symbol, long nanos) {
        AtomicLong last = lastTradeNanos.get(symbol);
        if (last != null) {
            last.set(nanos);
        }
    }

    /** The connection is gone (or never was); a gap opens now unless one is open already. */
    synchronized void disconnected(Reason reason) {
        disconnected(reason, Duration.ZERO);
    }

    /** @param alreadyMissing how long before now the feed already went silent */
    synchronized void disconnected(Reason reason, Duration alreadyMissing) {
        if (openReason != null) {
            return;
        }
        openReason = nextReason != null ? nextReason : reason;
        nextReason = null;
        openSinceNanos = System.nanoTime() - alreadyMissing.toNanos();
    }

    /** The next gap, which is about to open, has this reason (e.g. an oversized message before the close). */
    synchronized void pendingReason(Reason reason) {
        nextReason = reason;
    }

    /** Subscribed again: the open gap closes and is counted. */
    synchronized void connected() {
        if (openReason != null) {
            gapSeconds.get(openReason).increment((System.nanoTime() - openSinceNanos) / 1e9);
            openReason = null;
        }
    }

    synchronized double openGapSeconds() {
        return openReason == null ? 0 : (System.nanoTime() - openSinceNanos) / 1e9;
    }
}
