package io.streamingpipeline.query.domain;

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
        Double vwap) {}
