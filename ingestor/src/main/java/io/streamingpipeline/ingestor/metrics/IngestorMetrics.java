package io.streamingpipeline.ingestor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamingpipeline.contract.RejectReason;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every counter and timer of the ingestor, created once. Names are Micrometer's; Prometheus shows them as e.g.
 * {@code ingestor_trades_received_total}. No tag ever holds a URL or a token.
 *
 * <p>A {@code @Singleton}, injected without a client proxy: it is called for every trade, and the proxy's context
 * lookup per call took 3 % of the ingestor's CPU at full speed (bench/ingest).
 */
@Singleton
public class IngestorMetrics {

    /**
     * Reasons of {@code ingestor_frames_dropped_total}: a message of a connection the watchdog gave up on, read after
     * it did (its trades are counted in {@code ingestor_trades_lost_total{reason="stale_connection"}}).
     */
    public static final String DROPPED_STALE_CONNECTION = "stale_connection";
    /** A message over {@code finnhub.max-message-bytes}, dropped unread (its trades cannot be counted). */
    public static final String DROPPED_TOO_LARGE = "too_large";

    /** Why a trade that passed validation did not reach Kafka. */
    public enum LossReason {
        /** The in-memory buffer in front of the producer was full (Kafka slow or down for long). */
        BUFFER_FULL,
        /** The producer gave up on the record (e.g. delivery timeout). */
        KAFKA_ERROR,
        /** Read from a connection the watchdog had already given up on: discarded so that no trade is published twice. */
        STALE_CONNECTION;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final int MAX_TYPE_LABELS = 16;

    private final MeterRegistry registry;
    private final Counter framesReceived;
    private final Map<String, Counter> framesDropped = new ConcurrentHashMap<>();
    private final Counter tradesReceived;
    private final Counter tradesPublished;
    // The same counts, kept here as well: at shutdown the registry's counters may already read 0 (it is closed).
    private final LongAdder framesReceivedTally = new LongAdder();
    private final Map<String, LongAdder> framesDroppedTally = new ConcurrentHashMap<>();
    private final LongAdder tradesReceivedTally = new LongAdder();
    private final LongAdder tradesPublishedTally = new LongAdder();
    private final Map<RejectReason, LongAdder> rejectedTally = new EnumMap<>(RejectReason.class);
    private final Map<LossReason, LongAdder> lostTally = new EnumMap<>(LossReason.class);
    private final Counter pings;
    private final Counter producerErrors;
    private final Counter deadLettersPublished;
    private final Counter deadLettersDropped;
    private final Counter feedHolds;
    private final Counter feedHeldSeconds;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Map<LossReason, Counter> lost = new EnumMap<>(LossReason.class);
    private final Map<String, Counter> unknownTypes = new ConcurrentHashMap<>();
    private final Map<String, Counter> errorFrames = new ConcurrentHashMap<>();
    private final Map<String, Counter> reconnects = new ConcurrentHashMap<>();
    private final Timer publishLatency;
    private final AtomicLong feedLagMillis = new AtomicLong();

    public IngestorMetrics(MeterRegistry registry) {
        this.registry = registry;
        framesReceived = Counter.builder("ingestor.frames.received")
                .description("Websocket messages received from the feed")
                .register(registry);
        tradesReceived = Counter.builder("ingestor.trades.received")
                .description("Trade elements received in trade frames, valid or not")
                .register(registry);
        tradesPublished = Counter.builder("ingestor.trades.published")
                .description("Trades acknowledged by Kafka")
                .register(registry);
        pings = Counter.builder("ingestor.pings.received")
                .description("Keep-alive pings received")
                .register(registry);
        producerErrors = Counter.builder("ingestor.producer.errors")
                .description("Records the Kafka producer failed to deliver (trades and dead letters)")
                .register(registry);
        deadLettersPublished = Counter.builder("ingestor.dead.letters.published")
                .description("Dead letters acknowledged by Kafka")
                .register(registry);
        deadLettersDropped = Counter.builder("ingestor.dead.letters.dropped")
                .description(
                        "Dead letters not written because too many already waited for Kafka (the rejection is still counted)")
                .register(registry);
        feedHolds = Counter.builder("ingestor.feed.holds")
                .description("Times the feed was held (not read, so TCP holds it back) while Kafka caught up")
                .register(registry);
        feedHeldSeconds = Counter.builder("ingestor.feed.held.seconds")
                .description("Seconds the feed was held while Kafka caught up")
                .register(registry);
        for (RejectReason r : RejectReason.values()) {
            rejected.put(
                    r,
                    Counter.builder("ingestor.trades.rejected")
                            .description("Frames or trades rejected, by reason")
                            .tag("reason", r.label())
                            .register(registry));
            rejectedTally.put(r, new LongAdder());
        }
        framesDropped(DROPPED_STALE_CONNECTION);
        framesDropped(DROPPED_TOO_LARGE);
        for (LossReason r : LossReason.values()) {
            lost.put(
                    r,
                    Counter.builder("ingestor.trades.lost")
                            .description("Valid trades that did not reach Kafka, by reason")
                            .tag("reason", r.label())
                            .register(registry));
            lostTally.put(r, new LongAdder());
        }
        // Buckets only, for histogram_quantile() over any window and across replicas. Client-side percentiles
        // (recorded into a ring of HdrHistograms for every trade) took 4 % of the ingestor's CPU at full speed.
        publishLatency = Timer.builder("ingestor.publish.latency")
                .description("From receiving a trade's frame to Kafka's acknowledgement")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(registry);
        Gauge.builder("ingestor.feed.lag.seconds", feedLagMillis, v -> v.get() / 1000.0)
                .description("How far behind the newest trade of the last trade frame was when the ingestor handled it "
                        + "(handling time - trade time): grows when the ingestor falls behind the feed")
                .register(registry);
    }

    /** @param lagMillis handling time minus the newest trade time of a frame */
    public void feedLag(long lagMillis) {
        feedLagMillis.set(lagMillis);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void frameReceived() {
        framesReceived.increment();
        framesReceivedTally.increment();
    }

    /** The feed is held (not read) from now on, while Kafka catches up. */
    public void feedHoldStarted() {
        feedHolds.increment();
    }

    /** The feed is read again after it was held for this long. */
    public void feedHoldEnded(long heldNanos) {
        feedHeldSeconds.increment(heldNanos / 1e9);
    }

    /** @param reason {@link #DROPPED_STALE_CONNECTION} or {@link #DROPPED_TOO_LARGE} */
    public void frameDropped(String reason) {
        framesDropped(reason).increment();
        framesDroppedTally.get(reason).increment();
    }

    private Counter framesDropped(String reason) {
        framesDroppedTally.computeIfAbsent(reason, r -> new LongAdder());
        return framesDropped.computeIfAbsent(
                reason,
                r -> Counter.builder("ingestor.frames.dropped")
                        .description(
                                "Websocket messages not published: too large to read, or from a connection already given up on")
                        .tag("reason", r)
                        .register(registry));
    }

    public void tradesReceived(int n) {
        tradesReceived.increment(n);
        tradesReceivedTally.add(n);
    }

    public void tradePublished(long latencyNanos) {
        tradesPublished.increment();
        tradesPublishedTally.increment();
        publishLatency.record(latencyNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void ping() {
        pings.increment();
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
        rejectedTally.get(reason).increment();
    }

    public void lost(LossReason reason) {
        lost.get(reason).increment();
        lostTally.get(reason).increment();
    }

    public void producerError() {
        producerErrors.increment();
    }

    public void deadLetterPublished() {
        deadLettersPublished.increment();
    }

    public void deadLetterDropped() {
        deadLettersDropped.increment();
    }

    /** One line with the counters that account for every trade received, for the log at shutdown. */
    public String tally() {
        StringBuilder lost = new StringBuilder();
        double lostTotal = 0;
        for (var e : lostTally.entrySet()) {
            lostTotal += e.getValue().sum();
            lost.append(lost.isEmpty() ? "" : ", ")
                    .append(e.getKey().label())
                    .append('=')
                    .append(e.getValue().sum());
        }
        double rejectedTotal = 0;
        for (LongAdder c : rejectedTally.values()) {
            rejectedTotal += c.sum();
        }
        StringBuilder dropped = new StringBuilder();
        framesDroppedTally.forEach((reason, c) -> dropped.append(dropped.isEmpty() ? "" : ", ")
                .append(reason)
                .append('=')
                .append(c.sum()));
        return String.format(
                java.util.Locale.ROOT,
                "Tally: trades_received=%d trades_published=%d trades_rejected=%d trades_lost=%d (%s) frames_received=%d frames_dropped=(%s)",
                tradesReceivedTally.sum(),
                tradesPublishedTally.sum(),
                (long) rejectedTotal,
                (long) lostTotal,
                lost,
                framesReceivedTally.sum(),
                dropped);
    }

    public void unknownType(String typeLabel) {
        counter(unknownTypes, "ingestor.frames.unknown", "Frames of types this ingestor skips", "type", typeLabel)
                .increment();
    }

    public void errorFrame(String kind) {
        counter(errorFrames, "ingestor.feed.errors", "Error frames sent by the feed, by kind", "kind", kind)
                .increment();
    }

    public void reconnect(String cause) {
        counter(reconnects, "ingestor.feed.reconnects", "Reconnects to the feed, by cause", "cause", cause)
                .increment();
    }

    private Counter counter(Map<String, Counter> cache, String name, String description, String tag, String value) {
        String label = cache.size() >= MAX_TYPE_LABELS && !cache.containsKey(value) ? "other" : value;
        return cache.computeIfAbsent(
                label,
                v -> Counter.builder(name).description(description).tag(tag, v).register(registry));
    }
}
