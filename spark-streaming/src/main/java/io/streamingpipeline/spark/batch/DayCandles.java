package io.streamingpipeline.spark.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * 1-minute candles computed from trade rows in one aggregation, with the streaming job's definition
 * ({@link io.streamingpipeline.spark.candles.Candle}): open and close are the prices of the first and last trade
 * by (time, id), high/low the extremes, volume and count summed, VWAP = Σ price × volume / Σ volume (null when the
 * volume is 0). The rows have every column of the candle table, so that the streaming job can merge later trades
 * into them.
 */
public final class DayCandles {

    private DayCandles() {}

    /**
     * @param trades      rows with the trade table's columns
     * @param mergedQuery written as {@code merged_query}: not the streaming query's id, so that the stream merges the
     *                    minute's later trades into the recomputed candle
     */
    public static Dataset<Row> fromTrades(Dataset<Row> trades, UUID mergedQuery) {
        Column first = min(struct(col(TradeColumns.TIMESTAMP_UNIX), col(TradeColumns.ID), col(TradeColumns.PRICE)));
        Column last = max(struct(col(TradeColumns.TIMESTAMP_UNIX), col(TradeColumns.ID), col(TradeColumns.PRICE)));
        return trades.withColumn(
                        "minute",
                        expr(TradeColumns.TIMESTAMP_UNIX + " - pmod(" + TradeColumns.TIMESTAMP_UNIX + ", 60000)"))
                .groupBy(col(TradeColumns.SYMBOL), col(TradeColumns.DAY), col("minute"))
                .agg(
                        first.as("first"),
                        last.as("last"),
                        max(TradeColumns.PRICE).as(CandleColumns.HIGH),
                        min(TradeColumns.PRICE).as(CandleColumns.LOW),
                        sum(TradeColumns.VOLUME).as(CandleColumns.VOLUME),
                        count(lit(1)).as(CandleColumns.TRADE_COUNT),
                        sum(col(TradeColumns.PRICE).multiply(col(TradeColumns.VOLUME)))
                                .as("notional"))
                .select(
                        col(TradeColumns.SYMBOL).as(CandleColumns.SYMBOL),
                        col(TradeColumns.DAY).as(CandleColumns.DAY),
                        expr("timestamp_millis(minute)").as(CandleColumns.MINUTE_START),
                        col("first." + TradeColumns.PRICE).as(CandleColumns.OPEN),
                        col(CandleColumns.HIGH),
                        col(CandleColumns.LOW),
                        col("last." + TradeColumns.PRICE).as(CandleColumns.CLOSE),
                        col(CandleColumns.VOLUME),
                        col(CandleColumns.TRADE_COUNT),
                        when(col(CandleColumns.VOLUME).gt(0), col("notional").divide(col(CandleColumns.VOLUME)))
                                .as(CandleColumns.VWAP),
                        col("first." + TradeColumns.TIMESTAMP_UNIX).as(CandleColumns.OPEN_TIME),
                        col("first." + TradeColumns.ID).as(CandleColumns.OPEN_ID),
                        col("last." + TradeColumns.TIMESTAMP_UNIX).as(CandleColumns.CLOSE_TIME),
                        col("last." + TradeColumns.ID).as(CandleColumns.CLOSE_ID),
                        lit(mergedQuery.toString()).as(CandleColumns.MERGED_QUERY),
                        lit(0L).as(CandleColumns.MERGED_BATCH));
    }
}
