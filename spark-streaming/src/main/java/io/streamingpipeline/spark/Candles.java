package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.TradeContract.Fields;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

/**
 * One-minute OHLCV candles per symbol, by event time (the trade's own time, not its arrival).
 *
 * <p>Open and close are the prices of the first and last trade of the minute by trade time, found as the minimum and
 * maximum of the struct {@code (timestamp_unix, id, price)}: structs compare field by field, so equal times are
 * broken by id, deterministically (ids are lower-case UUIDv7, time-ordered). Unlike "first/last row seen" this gives
 * the same candle whatever the arrival order, and it is a plain min/max, so a streaming aggregation keeps it
 * correct when a minute's trades arrive over several micro-batches. VWAP is {@code sum(price*volume)/sum(volume)},
 * null when the minute's volume is 0.
 *
 * <p>Works on a static Dataset (tests, backfills) and on a stream; on a stream, put a watermark on
 * {@link TradeParsing#EVENT_TIME} first so that the state of closed minutes is dropped.
 */
public final class Candles {

    private Candles() {
    }

    public static final String WINDOW_DURATION = "1 minute";
    public static final long MINUTE_MILLIS = 60_000L;

    /**
     * @param trades valid trades, as {@link TradeParsing#valid} gives them
     * @return one row per symbol and minute, the columns of the candle table in table order
     */
    public static Dataset<Row> oneMinute(Dataset<Row> trades) {
        Column byTradeTime = struct(col(Fields.TIMESTAMP_UNIX), col(Fields.ID), col(Fields.PRICE));
        return trades
                .groupBy(col(Fields.SYMBOL), window(col(TradeParsing.EVENT_TIME), WINDOW_DURATION).as("minute"))
                .agg(min(byTradeTime).as("first"),
                        max(byTradeTime).as("last"),
                        max(col(Fields.PRICE)).as(CandleColumns.HIGH),
                        min(col(Fields.PRICE)).as(CandleColumns.LOW),
                        sum(col(Fields.VOLUME)).as(CandleColumns.VOLUME),
                        count(lit(1)).as(CandleColumns.TRADE_COUNT),
                        sum(col(Fields.PRICE).multiply(col(Fields.VOLUME))).as("notional"))
                .select(col(Fields.SYMBOL).as(CandleColumns.SYMBOL),
                        TradeParsing.utcDay(unix_millis(col("minute.start"))).as(CandleColumns.DAY),
                        col("minute.start").as(CandleColumns.MINUTE_START),
                        col("first." + Fields.PRICE).as(CandleColumns.OPEN),
                        col(CandleColumns.HIGH),
                        col(CandleColumns.LOW),
                        col("last." + Fields.PRICE).as(CandleColumns.CLOSE),
                        col(CandleColumns.VOLUME),
                        col(CandleColumns.TRADE_COUNT),
                        when(col(CandleColumns.VOLUME).gt(0), col("notional").divide(col(CandleColumns.VOLUME)))
                                .as(CandleColumns.VWAP));
    }
}
