package io.streamingpipeline.ingestor.feed;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import io.quarkus.logging.Log;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.ingestor.config.FeedSettings;
import io.streamingpipeline.ingestor.metrics.IngestorMetrics;
import io.streamingpipeline.ingestor.publish.TradePublisher;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/** Turns each websocket message into Kafka records, dead letters and metrics. Never throws. */
@ApplicationScoped
public class FrameHandler {

    static final String TOO_MANY_SYMBOLS = "too many symbols";

    private final FrameParser parser;
    private final TradePublisher publisher;
    private final IngestorMetrics metrics;
    private final FeedSettings settings;

    public FrameHandler(ObjectMapper mapper, TradePublisher publisher, IngestorMetrics metrics, FeedSettings settings) {
        // RFC 9562 version 7: time-ordered, so ids of one symbol sort roughly by arrival.
        TimeBasedEpochGenerator uuids = Generators.timeBasedEpochGenerator();
        this.parser = new FrameParser(mapper.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS),
                uuids::generate, settings.maxFutureSkew());
        this.publisher = publisher;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** @return true when the frame was a trade or ping frame, i.e. the feed is alive and serving */
    public boolean handle(String text, long receivedAtMillis, long receivedNanos) {
        metrics.frameReceived();
        Frame frame;
        try {
            frame = parser.parse(text, receivedAtMillis);
        } catch (RuntimeException unexpected) {
            // The parser reports bad input as rejections; this is a bug, and must not stop the feed.
            Log.errorf("Unexpected %s while parsing a frame; sent to the dead-letter topic", unexpected.getClass().getName());
            frame = new Frame.Unreadable(new Rejection(io.streamingpipeline.contract.RejectReason.MALFORMED_FRAME,
                    "parser failure: " + unexpected.getClass().getSimpleName(), FrameParser.truncate(text)));
        }
        if (frame instanceof Frame.Trades trades) {
            metrics.tradesReceived(trades.valid().size() + trades.rejected().size());
            long newest = Long.MIN_VALUE;
            publisher.publish(trades.valid(), receivedNanos);
            for (Trade trade : trades.valid()) {
                newest = Math.max(newest, trade.timestampUnix());
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
            Log.errorf("Finnhub refused a subscription: \"%s\". This ingestor subscribes to %d symbols; the plan of this token "
                    + "allows fewer (the free plan: %d per connection). Reduce FINNHUB_SYMBOLS.", safe, settings.symbols().size(),
                    FeedSettings.MAX_SYMBOLS);
        } else {
            metrics.errorFrame("other");
            Log.errorf("Finnhub sent an error: \"%s\"", safe);
        }
    }
}
