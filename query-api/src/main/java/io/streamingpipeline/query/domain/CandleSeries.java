package io.streamingpipeline.query.domain;

import java.util.List;

/** The 1-minute candles of {@code symbol} whose minute starts in {@code [from, to)}, oldest first. */
public record CandleSeries(String symbol, long from, long to, List<Candle> candles) {}
