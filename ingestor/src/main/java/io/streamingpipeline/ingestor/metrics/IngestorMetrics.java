package io.streamingpipeline.ingestor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamingpipeline.contract.RejectReason;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every counter and timer of the ingestor, created once. Names are Micrometer's; Prometheus shows them as e.g.
 * {@code ingestor_trades_received_total}. No tag ever holds a URL or a token.
 *
 * <p>A {@code @Singleton}, injected without a client proxy: it is called for every trade, and the proxy's context
 * lookup per call took 3 % of the ingestor's CPU at full speed (bench/ingest).
 *
 * <p>The counts of every trade and frame are {@link LongAdder}s that the registry reads when it is scraped
 * ({@link FunctionCounter}s) and that {@link #tally()} reads at shutdown, when the registry may already be closed: one
 * count each, where a registered {@link Counter} would need a second one for the tally. They are removed from the
 * registry when this bean is destroyed: a registry that outlives it (Quarkus' global one, across the restarts of dev
 * mode and of tests) would otherwise keep reading this instance's counts.
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
    private final List<Meter> counts = new CopyOnWriteArrayList<>();
    private final LongAdder framesReceived;
    private final Map<String, LongAdder> framesDropped = new ConcurrentHashMap<>();
    private final LongAdder tradesReceived;
    private final LongAdder tradesPublished;
    private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);
    private final Map<LossReason, LongAdder> lost = new EnumMap<>(LossReason.class);
    private final Counter pings;
    private final Counter producerErrors;
    private final Counter deadLettersPublished;
    private final Counter deadLettersDropped;
    private final Counter feedHolds;
    private final Counter feedHeldSeconds;
    private final Map<String, Counter> unknownTypes = new ConcurrentHashMap<>();
    private final Map<String, Counter> errorFrames = new ConcurrentHashMap<>();
    private final Map<String, Counter> reconnects = new ConcurrentHashMap<>();
    private final Timer publishLatency;
    private final AtomicLong feedLagMillis = new AtomicLong();

    public IngestorMetrics(MeterRegistry registry) {
        this.registry = registry;
        framesReceived = count("ingestor.frames.received", "Websocket messages received from the feed");
        tradesReceived = count("ingestor.trades.received", "Trade elements received in trade frames, valid or not");
        tradesPublished = count("ingestor.trades.published", "Trades acknowledged by Kafka");
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
                    r, count("ingestor.trades.rejected", "Frames or trades rejected, by reason", "reason", r.label()));
        }
        framesDropped(DROPPED_STALE_CONNECTION);
        framesDropped(DROPPED_TOO_LARGE);
        for (LossReason r : LossReason.values()) {
            lost.put(
                    r,
                    count(
                            "ingestor.trades.lost",
                            "Valid trades that did not reach Kafka, by reason",
                            "reason",
                            r.label()));
        }
        // Buckets only, for histogram_quantile() over any window and across replicas. Client-side percentiles
        // (recorded into a ring of HdrHistograms for every trade) took 4 % of the ingestor's CPU at full speed.
        publishLatency = Timer.builder("ingestor.publish.latency")
                .description("From receiving a frame to Kafka's answer for the last of its trades")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(registry);
        Gauge.builder("ingestor.feed.lag.seconds", feedLagMillis, v -> v.get() / 1000.0)
                .description("How far behind the newest trade of the last trade frame was when the ingestor handled it "
                        + "(handling time - trade time): grows when the ingestor falls behind the feed")
                .register(registry);
    }

    /** A count the registry reads when scraped; {@code tags} are name, value pairs. */
    private LongAdder count(String name, String description, String... tags) {
        LongAdder count = new LongAdder();
        // The registry holds the adder weakly: this object keeps it.
        counts.add(FunctionCounter.builder(name, count, LongAdder::sum)
                .description(description)
                .tags(tags)
                .register(registry));
        return count;
    }

    @PreDestroy
    void unregister() {
        counts.forEach(registry::remove);
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
    }

    private LongAdder framesDropped(String reason) {
        return framesDropped.computeIfAbsent(
                reason,
                r -> count(
                        "ingestor.frames.dropped",
                        "Websocket messages not published: too large to read, or from a connection already given up on",
                        "reason",
                        r));
    }

    public void tradesReceived(int n) {
        tradesReceived.add(n);
    }

    public void tradesPublished(int n) {
        tradesPublished.add(n);
    }

    /** Kafka has answered for every trade of a frame, this long after the frame arrived. */
    public void framePublished(long latencyNanos) {
        publishLatency.record(latencyNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void ping() {
        pings.increment();
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    public void lost(LossReason reason) {
        lost.get(reason).increment();
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
        StringBuilder lostByReason = new StringBuilder();
        long lostTotal = 0;
        for (var e : lost.entrySet()) {
            lostTotal += e.getValue().sum();
            lostByReason
                    .append(lostByReason.isEmpty() ? "" : ", ")
                    .append(e.getKey().label())
                    .append('=')
                    .append(e.getValue().sum());
        }
        long rejectedTotal = 0;
        for (LongAdder c : rejected.values()) {
            rejectedTotal += c.sum();
        }
        StringBuilder dropped = new StringBuilder();
        framesDropped.forEach((reason, c) -> dropped.append(dropped.isEmpty() ? "" : ", ")
                .append(reason)
                .append('=')
                .append(c.sum()));
        return String.format(
                java.util.Locale.ROOT,
                "Tally: trades_received=%d trades_published=%d trades_rejected=%d trades_lost=%d (%s) frames_received=%d frames_dropped=(%s)",
                tradesReceived.sum(),
                tradesPublished.sum(),
                rejectedTotal,
                lostTotal,
                lostByReason,
                framesReceived.sum(),
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
