package io.streamingpipeline.spark;

import io.streamingpipeline.contract.TradeContract.Fields;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.udf;

/**
 * Which trades came too late for their candle. Spark's streaming aggregation drops an input row when its window
 * has closed, i.e. when the window's end is at or before the watermark ({@code window.end <= watermark}); such
 * a trade is still written to the trade table but does not change its candle. This is the same test, so that
 * these trades are counted instead of vanishing silently.
 */
public final class LateTrades {

    private LateTrades() {
    }

    /**
     * True for a trade whose minute ended at or before {@code watermarkMillis}.
     *
     * <p>The comparison is a function holding the watermark rather than {@code minuteEnd <= lit(watermark)}: the
     * watermark moves with every micro-batch, and Spark writes a long literal into its generated code, so each batch
     * would compile new code on the driver and in every task. A function is passed to the generated code by
     * reference, so the code stays the same and is compiled once.
     */
    public static Column isLate(long watermarkMillis) {
        Column minuteEnd = floor(col(Fields.TIMESTAMP_UNIX).divide(Candles.MINUTE_MILLIS))
                .multiply(Candles.MINUTE_MILLIS).plus(Candles.MINUTE_MILLIS);
        UserDefinedFunction endedBy = udf((UDF1<Long, Boolean>) end -> end != null && end <= watermarkMillis,
                DataTypes.BooleanType);
        return endedBy.apply(minuteEnd);
    }
}
