package io.streamingpipeline.spark;

import io.streamingpipeline.contract.TradeContract.Fields;
import org.apache.spark.sql.Column;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;

/**
 * Which trades came too late for their candle. Spark's streaming aggregation drops an input row when its window
 * has closed, i.e. when the window's end is at or before the watermark ({@code window.end <= watermark}); such
 * a trade is still written to the trade table but does not change its candle. This is the same test, so that
 * these trades are counted instead of vanishing silently.
 */
public final class LateTrades {

    private LateTrades() {
    }

    /** True for a trade whose minute ended at or before {@code watermarkMillis}. */
    public static Column isLate(long watermarkMillis) {
        Column minuteEnd = floor(col(Fields.TIMESTAMP_UNIX).divide(Candles.MINUTE_MILLIS))
                .multiply(Candles.MINUTE_MILLIS).plus(Candles.MINUTE_MILLIS);
        return minuteEnd.leq(watermarkMillis);
    }
}
