package io.streamingpipeline.query.domain;

import io.streamingpipeline.contract.CandleRow;

/** One 1-minute candle of {@code crypto_candles_1m}; {@code minuteStart} in UNIX milliseconds (UTC minute). */
public record Candle(
        String symbol,
        long minuteStart,
        double open,
        double high,
        double low,
        double close,
        double volume,
        long tradeCount,
        Double vwap) {

    /** The candle of a row of the table. */
    public static Candle of(CandleRow row) {
        return new Candle(
                row.symbol(),
                row.minuteStart().toEpochMilli(),
                row.open(),
                row.high(),
                row.low(),
                row.close(),
                row.volume(),
                row.tradeCount(),
                row.vwap());
    }
}
