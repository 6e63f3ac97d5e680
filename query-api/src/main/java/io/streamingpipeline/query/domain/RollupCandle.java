package io.streamingpipeline.query.domain;

/**
 * One hourly ({@code crypto_candles_1h}) or daily ({@code crypto_candles_1d}) candle, rolled up from the 1-minute
 * candles of its period; {@code start} is the period's first millisecond (UNIX ms, UTC), {@code minuteCount} how many
 * 1-minute candles went into it.
 */
public record RollupCandle(
        String symbol,
        long start,
        double open,
        double high,
        double low,
        double close,
        double volume,
        long tradeCount,
        Double vwap,
        Integer minuteCount) {}
