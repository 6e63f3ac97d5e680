package io.streamingpipeline.ingestor.publish;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.ingestor.feed.Rejection;
import io.streamingpipeline.ingestor.metrics.IngestorMetrics;
import io.streamingpipeline.ingestor.metrics.IngestorMetrics.LossReason;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends valid trades to the {@value #TRADES} channel (key = symbol) and rejections to {@value #DEAD_LETTERS}.
 * Connector settings (topic, acks, idempotence, batching) live in {@code application.properties}.
 *
 * <p>The trades of one frame go to Kafka together: one task on the channel's Kafka producer thread
 * ({@link KafkaProducer#runOnSendingThread}) sends them in order, each as its own record. SmallRye's per-message
 * path (a {@code Message}, a Mutiny pipeline with its retry operator and ack callbacks per trade) costs several times
 * more CPU per trade than the record itself (bench/ingest, docs/benchmarks.md).
 * Records are still the channel's: its producer, serializers and settings, health and metrics. When the channel is
 * not Kafka (the in-memory connector of the tests) trades go through the emitter one by one.
 *
 * <p>Memory stays bounded when Kafka is slow or down: at most {@value #MAX_PENDING} trades, and at most
 * {@value #MAX_PENDING_BYTES} bytes of them as estimated by {@link TradeFootprint} (plus one frame's), are handed to
 * the producer and wait for Kafka's answer to their frame; the producer holds at most {@code buffer.memory} bytes. At
 * the limit the feed is held first ({@link io.streamingpipeline.ingestor.feed.FinnhubClient}: not read until Kafka has {@link #caughtUp()},
 * for a few seconds at most); a trade that still finds the limit reached is counted as lost ({@code ingestor_trades_lost_total{reason="buffer_full"}}) and logged; so is
 * one the producer gives up on ({@code kafka_error}). A valid trade too large for a Kafka request goes to the
 * dead-letter topic ({@code too_large}). Dead letters waiting for Kafka are bounded the same way
 * ({@value #MAX_DEAD_LETTER_BYTES} bytes of raw text).
 */
@ApplicationScoped
public class TradePublisher {

    public static final String TRADES = "trades";
    public static final String DEAD_LETTERS = "dead-letters";
    static final int BUFFER_SIZE = 65_536;
    /** The emitter's buffer plus the channel's {@code max-inflight-messages}, the bound of the per-message path. */
    static final int MAX_PENDING = BUFFER_SIZE + 16_384;
    /** Estimated heap held by trades handed to the producer and not yet acknowledged. */
    static final long MAX_PENDING_BYTES = 32L * 1024 * 1024;
    /** Raw text of dead letters handed to the producer and not yet acknowledged. */
    static final long MAX_DEAD_LETTER_BYTES = 16L * 1024 * 1024;

    static final Duration LOSS_LOG_INTERVAL = Duration.ofSeconds(10);
    /** The cause logged for trades lost to {@link #MAX_PENDING} (one shared instance: it carries no stack trace). */
    private static final IllegalStateException PENDING_LIMIT =
            new IllegalStateException(MAX_PENDING + " trades are waiting for Kafka's acknowledgement") {
                @Override
                public synchronized Throwable fillInStackTrace() {
                    return this;
                }
            };

    private final Emitter<Trade> trades;
    private final Emitter<DeadLetter> deadLetters;
    private final IngestorMetrics metrics;
    private final KafkaClientService kafkaClients;
    private final String topic;
    private volatile KafkaProducer<String, Trade> producer;

    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicLong deadLetterBytes = new AtomicLong();
    private final AtomicLong lastAckNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong lastFailureNanos = new AtomicLong();
    private final AtomicLong lossesSinceLog = new AtomicLong();

    public TradePublisher(
            @Channel(TRADES) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = BUFFER_SIZE)
                    Emitter<Trade> trades,
            @Channel(DEAD_LETTERS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                    Emitter<DeadLetter> deadLetters,
            IngestorMetrics metrics,
            KafkaClientService kafkaClients,
            @ConfigProperty(name = "mp.messaging.outgoing.trades.topic") String topic) {
        this.trades = trades;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.kafkaClients = kafkaClients;
        this.topic = topic;
    }

    /**
     * Publishes the valid trades of one frame, in order.
     *
     * @param receivedNanos {@link System#nanoTime()} when the frame arrived, for the latency timer
     */
    public void publish(List<Trade> frameTrades, long receivedNanos) {
        if (frameTrades.isEmpty()) {
            return;
        }
        KafkaProducer<String, Trade> kafka = kafkaProducer();
        if (kafka == null) {
            FrameAnswers answers = new FrameAnswers(frameTrades.size(), 0, receivedNanos);
            pending.addAndGet(frameTrades.size());
            for (Trade trade : frameTrades) {
                publish(trade, answers);
            }
            return;
        }
        int n = frameTrades.size();
        if (full()) {
            for (int i = 0; i < n; i++) {
                lose(LossReason.BUFFER_FULL, PENDING_LIMIT);
            }
            return;
        }
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += TradeFootprint.bytes(frameTrades.get(i));
        }
        // may pass the limits by one frame's trades: a frame is sent whole or not at all
        pending.addAndGet(n);
        pendingBytes.addAndGet(bytes);
        FrameAnswers answers = new FrameAnswers(n, bytes, receivedNanos);
        kafka.runOnSendingThread(p -> {
                    sendAll(p, frameTrades, answers);
                })
                .subscribe()
                .with(sent -> {}, notRun -> {
                    // the producer is closed (shutdown): none of these trades was handed to it
                    pending.addAndGet(-n);
                    pendingBytes.addAndGet(-answers.bytes);
                    for (int i = 0; i < n; i++) {
                        lost(notRun);
                    }
                });
    }

    private void sendAll(Producer<String, Trade> kafka, List<Trade> frameTrades, FrameAnswers answers) {
        for (int i = 0, n = frameTrades.size(); i < n; i++) {
            Trade trade = frameTrades.get(i);
            try {
                kafka.send(new ProducerRecord<>(topic, trade.symbol(), trade), new Ack(trade, answers));
            } catch (RuntimeException notSent) {
                // thrown instead of reported to the callback: closed producer, serialization
                lost(notSent);
                answers.failed();
            }
        }
    }

    /** Kafka's answer for one trade (a class rather than a lambda: one is made for every trade). */
    private final class Ack implements Callback {
        private final Trade trade;
        private final FrameAnswers answers;

        Ack(Trade trade, FrameAnswers answers) {
            this.trade = trade;
            this.answers = answers;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            if (failure == null) {
                answers.acked();
                return;
            }
            if (failure instanceof RecordTooLargeException tooLarge) {
                tooLarge(trade, tooLarge);
            } else {
                lost(failure);
            }
            answers.failed();
        }
    }

    /**
     * The trades of one frame until Kafka has answered for each of them (an acknowledgement or a failure). The last
     * answer settles the frame: its trades and bytes no longer wait, the acknowledged ones are counted, and its publish
     * latency is recorded. Once per frame rather than per trade: the shared counts and the latency, touched for every
     * trade on the producer's network thread, cost it more than all its other work for the trade (bench/ingest,
     * docs/benchmarks.md).
     */
    private final class FrameAnswers {
        private final int trades;
        private final long bytes;
        private final long receivedNanos;
        private final AtomicInteger unanswered;
        private final AtomicInteger failures = new AtomicInteger();

        FrameAnswers(int trades, long bytes, long receivedNanos) {
            this.trades = trades;
            this.bytes = bytes;
            this.receivedNanos = receivedNanos;
            this.unanswered = new AtomicInteger(trades);
        }

        void acked() {
            if (unanswered.decrementAndGet() == 0) {
                settle();
            }
        }

        /** A trade that was not published; it is counted by whoever saw why. */
        void failed() {
            failures.incrementAndGet();
            acked();
        }

        private void settle() {
            pending.addAndGet(-trades);
            pendingBytes.addAndGet(-bytes);
            int published = trades - failures.get();
            if (published > 0) {
                metrics.tradesPublished(published);
                lastAckNanos.set(System.nanoTime());
            }
            metrics.framePublished(System.nanoTime() - receivedNanos);
        }
    }

    /** A valid trade larger than a Kafka request may be: it is not lost but dead-lettered, as bad input is. */
    private void tooLarge(Trade trade, RecordTooLargeException cause) {
        metrics.rejected(RejectReason.TOO_LARGE);
        String raw = trade.symbol() + " " + trade.timestampUnix() + " with "
                + (trade.conditions() == null ? 0 : trade.conditions().size()) + " conditions";
        Log.warnf(
                "A trade of %s is larger than a Kafka request may be (%s); sent to the dead-letter topic",
                trade.symbol(), cause.getMessage());
        reject(
                new Rejection(
                        RejectReason.TOO_LARGE,
                        "the trade is larger than the producer's max.request.size: " + cause.getMessage(),
                        raw),
                System.currentTimeMillis());
    }

    /** The channel's Kafka producer; null when the channel has another connector. */
    private KafkaProducer<String, Trade> kafkaProducer() {
        KafkaProducer<String, Trade> current = producer;
        if (current == null && kafkaClients.getProducerChannels().contains(TRADES)) {
            current = kafkaClients.getProducer(TRADES);
            producer = current;
        }
        return current;
    }

    private void publish(Trade trade, FrameAnswers answers) {
        Message<Trade> message = Message.of(trade)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(trade.symbol())
                        .build())
                .withAck(() -> {
                    answers.acked();
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    lost(failure);
                    answers.failed();
                    return CompletableFuture.completedFuture(null);
                });
        try {
            trades.send(message);
        } catch (RuntimeException overflowOrClosed) {
            lose(LossReason.BUFFER_FULL, overflowOrClosed);
            answers.failed();
        }
    }

    public void reject(Rejection rejection, long rejectedAtMillis) {
        DeadLetter letter = new DeadLetter(
                rejection.reason().label(), rejection.detail(), rejection.raw(), "ingestor", rejectedAtMillis);
        Message<DeadLetter> message = Message.of(letter)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(letter.reason())
                        .build())
                .withAck(() -> {
                    deadLetterBytes.addAndGet(
                            -(letter.raw().length() + letter.detail().length()));
                    metrics.deadLetterPublished();
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    deadLetterBytes.addAndGet(
                            -(letter.raw().length() + letter.detail().length()));
                    metrics.producerError();
                    Log.warnf(
                            "A dead letter (reason %s) could not be written to Kafka: %s",
                            letter.reason(), failure.getClass().getSimpleName());
                    return CompletableFuture.completedFuture(null);
                });
        long bytes = letter.raw().length() + letter.detail().length();
        if (deadLetterBytes.get() + bytes > MAX_DEAD_LETTER_BYTES) {
            metrics.deadLetterDropped();
            Log.warnf(
                    "A dead letter (reason %s) was dropped: %d bytes of dead letters already wait for Kafka",
                    letter.reason(), deadLetterBytes.get());
            return;
        }
        deadLetterBytes.addAndGet(bytes);
        try {
            deadLetters.send(message);
        } catch (RuntimeException overflowOrClosed) {
            deadLetterBytes.addAndGet(-bytes);
            metrics.deadLetterDropped();
            Log.warnf("A dead letter (reason %s) was dropped: the dead-letter buffer is full", letter.reason());
        }
    }

    /** A trade the producer failed to deliver. */
    private void lost(Throwable failure) {
        metrics.producerError();
        lose(LossReason.KAFKA_ERROR, failure);
    }

    private void lose(LossReason reason, Throwable cause) {
        metrics.lost(reason);
        lastFailureNanos.set(System.nanoTime());
        if (lossesSinceLog.getAndIncrement() == 0) {
            Log.errorf(
                    "Trades are being LOST: %s (%s: %s). Counted in ingestor_trades_lost_total; a summary follows every %d s.",
                    reason.label(),
                    cause.getClass().getSimpleName(),
                    cause.getMessage(),
                    LOSS_LOG_INTERVAL.toSeconds());
        }
    }

    /** Logs how many trades were lost since the last call, if any; called every {@link #LOSS_LOG_INTERVAL}. */
    void reportLosses() {
        long n = lossesSinceLog.getAndSet(0);
        if (n > 1) {
            Log.errorf(
                    "LOST %d trade(s) in the last %d s. See ingestor_trades_lost_total by reason.",
                    n - 1, LOSS_LOG_INTERVAL.toSeconds());
        }
    }

    void startLossReports(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(LOSS_LOG_INTERVAL.toMillis(), id -> reportLosses());
    }

    /** Whether as many trades (or bytes of them) wait for Kafka as may: the next ones would be lost. */
    public boolean full() {
        return pending.get() >= MAX_PENDING || pendingBytes.get() >= MAX_PENDING_BYTES;
    }

    /** Whether Kafka has caught up after {@link #full()}: at most half as many trades (and bytes) wait for it. */
    public boolean caughtUp() {
        return pending.get() <= MAX_PENDING / 2 && pendingBytes.get() <= MAX_PENDING_BYTES / 2;
    }

    /** Estimated heap of the trades handed to the channel and not yet acknowledged or failed. */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    /** Trades that found the limits reached are counted here, with this reason, instead of published. */
    public void discard(int trades, LossReason reason, Throwable cause) {
        for (int i = 0; i < trades; i++) {
            lose(reason, cause);
        }
    }

    /** Trades handed to the channel and not yet acknowledged or failed. */
    public long pending() {
        return pending.get();
    }

    public long nanosSinceLastAck() {
        return System.nanoTime() - lastAckNanos.get();
    }

    public long lastFailureNanos() {
        return lastFailureNanos.get();
    }

    public long lastAckNanos() {
        return lastAckNanos.get();
    }
}
