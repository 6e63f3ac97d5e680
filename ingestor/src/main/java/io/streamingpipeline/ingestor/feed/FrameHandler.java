package io.streamingpipeline.ingestor.feed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.quarkus.logging.Log;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.ingestor.config.FeedConfig;
import io.streamingpipeline.ingestor.config.FeedConfigCheck;
import io.streamingpipeline.ingestor.metrics.IngestorMetrics;
import io.streamingpipeline.ingestor.publish.TradePublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/** Turns each websocket message into Kafka records, dead letters and metrics. Never throws. */
@ApplicationScoped
public class FrameHandler {

    static final String TOO_MANY_SYMBOLS = "too many symbols";
    /** The cause logged for trades of an abandoned connection (one shared instance: it carries no stack trace). */
    private static final IllegalStateException STALE =
            new IllegalStateException("read from a connection the watchdog had given up on") {
                @Override
                public synchronized Throwable fillInStackTrace() {
                    return this;
                }
            };

    private final FrameParser parser;
    private final TradePublisher publisher;
    private final IngestorMetrics metrics;
    private final FeedConfig settings;
    private final FeedGaps gaps;

    public FrameHandler(
            ObjectMapper mapper,
            TradePublisher publisher,
            IngestorMetrics metrics,
            FeedConfig settings,
            FeedGaps gaps) {
        // RFC 9562 version 7: time-ordered, so ids of one symbol sort roughly by arrival.
        TimeBasedEpochGenerator uuids = Generators.timeBasedEpochGenerator();
        this.parser = new FrameParser(
                mapper.copy()
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        // FastDoubleParser: correctly rounded, as the JDK's parse, in less time
                        .enable(JsonParser.Feature.USE_FAST_DOUBLE_PARSER),
                uuids::generate,
                settings.maxFutureSkew());
        this.publisher = publisher;
        this.metrics = metrics;
        this.settings = settings;
        this.gaps = gaps;
    }

    /** @return true when the frame was a trade or ping frame, i.e. the feed is alive and serving */
    public boolean handle(String text, long receivedAtMillis, long receivedNanos) {
        return handle(text, receivedAtMillis, receivedNanos, null);
    }

    /**
     * A message that must not be published (e.g. from a connection already given up on): counted as a dropped frame
     * with {@code reason}, its valid trades counted as lost; bad input in it is still dead-lettered, errors logged.
     */
    public void discard(String text, String reason, long receivedAtMillis) {
        metrics.frameDropped(reason);
        handle(text, receivedAtMillis, System.nanoTime(), IngestorMetrics.LossReason.STALE_CONNECTION);
    }

    /** Finnhub sends text only: a binary message is bad input, counted and dead-lettered (described, not copied). */
    public void binary(int length, long receivedAtMillis) {
        metrics.frameReceived();
        reject(
                new Rejection(
                        io.streamingpipeline.contract.RejectReason.MALFORMED_FRAME,
                        "a binary websocket message of " + length + " bytes; the feed sends text",
                        "<binary message, " + length + " bytes>"),
                receivedAtMillis);
    }

    private boolean handle(
            String text, long receivedAtMillis, long receivedNanos, IngestorMetrics.LossReason discardAs) {
        metrics.frameReceived();
        Frame frame;
        try {
            frame = parser.parse(text, receivedAtMillis);
        } catch (RuntimeException unexpected) {
            // The parser reports bad input as rejections; this is a bug, and must not stop the feed.
            Log.errorf(
                    "Unexpected %s while parsing a frame; sent to the dead-letter topic",
                    unexpected.getClass().getName());
            frame = new Frame.Unreadable(new Rejection(
                    io.streamingpipeline.contract.RejectReason.MALFORMED_FRAME,
                    "parser failure: " + unexpected.getClass().getSimpleName(),
                    FrameParser.truncate(text)));
        }
        if (frame instanceof Frame.Trades trades) {
            metrics.tradesReceived(trades.valid().size() + trades.rejected().size());
            long newest = Long.MIN_VALUE;
            if (discardAs != null) {
                publisher.discard(trades.valid().size(), discardAs, STALE);
            } else {
                publisher.publish(trades.valid(), receivedNanos);
            }
            for (Trade trade : trades.valid()) {
                newest = Math.max(newest, trade.timestampUnix());
                if (discardAs == null) {
                    gaps.trade(trade.symbol(), receivedNanos);
                }
            }
            if (newest != Long.MIN_VALUE) {
                metrics.feedLag(receivedAtMillis - newest);
            }
            for (Rejection r : trades.rejected()) {
                reject(r, receivedAtMillis);
            }
            return true;
        }
        if (frame instanceof Frame.Ping) {
            metrics.ping();
            return true;
        }
        if (frame instanceof Frame.Error error) {
            onError(error.message());
            return false;
        }
        if (frame instanceof Frame.Unknown unknown) {
            metrics.unknownType(unknown.type());
            Log.debugf("Skipped a frame of unhandled type '%s'", unknown.type());
            return true;
        }
        reject(((Frame.Unreadable) frame).rejection(), receivedAtMillis);
        return false;
    }

    private void reject(Rejection r, long atMillis) {
        metrics.rejected(r.reason());
        Log.debugf("Rejected (%s): %s", r.reason().label(), r.detail());
        publisher.reject(r, atMillis);
    }

    private void onError(String message) {
        String safe = message.length() > 200 ? message.substring(0, 200) + "…" : message;
        safe = safe.replaceAll("\\p{Cntrl}", "?");
        if (safe.toLowerCase(Locale.ROOT).contains(TOO_MANY_SYMBOLS)) {
            metrics.errorFrame("too_many_symbols");
            Log.errorf(
                    "Finnhub refused a subscription: \"%s\". This ingestor subscribes to %d symbols; the plan of this token "
                            + "allows fewer (the free plan: %d per connection). Reduce FINNHUB_SYMBOLS.",
                    safe, settings.symbols().size(), FeedConfigCheck.MAX_SYMBOLS);
        } else {
            metrics.errorFrame("other");
            Log.errorf("Finnhub sent an error: \"%s\"", safe);
        }
    }
}
