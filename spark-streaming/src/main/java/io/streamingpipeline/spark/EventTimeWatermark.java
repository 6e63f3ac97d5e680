package io.streamingpipeline.spark;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The driver's view of the candle query's event-time watermark, for counting late trades in the trade query.
 * Two sources, the higher wins: the watermark the candle query reports in its progress, and the one the trade
 * query derives the way Spark does (highest trade time seen in earlier batches minus the delay). The two queries
 * read the same topic but cut micro-batches independently, so the count is close to, not exactly, what the
 * aggregation dropped; Spark's own per-operator count is exported too ({@code numRowsDroppedByWatermark}, which
 * counts partially aggregated rows rather than trades).
 */
public final class EventTimeWatermark {

    /** Spark's watermark before any event was seen: the epoch. */
    public static final long NONE = 0L;

    private final long delayMillis;
    private final LongSupplier reported;
    private final AtomicLong maxEventTime = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param delay    the watermark delay of the candle query
     * @param reported the candle query's last reported watermark in UNIX milliseconds, {@link #NONE} if unknown
     */
    public EventTimeWatermark(Duration delay, LongSupplier reported) {
        this.delayMillis = delay.toMillis();
        this.reported = reported;
    }

    /** Records the highest trade time of a finished batch. */
    public void observe(long maxEventTimeMillis) {
        maxEventTime.accumulateAndGet(maxEventTimeMillis, Math::max);
    }

    /** The watermark in UNIX milliseconds, {@link #NONE} when nothing is known yet. */
    public long currentMillis() {
        long seen = maxEventTime.get();
        long derived = seen == Long.MIN_VALUE ? NONE : Math.max(NONE, seen - delayMillis);
        return Math.max(derived, reported.getAsLong());
    }
}
