package io.streamingpipeline.query.domain;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The candles of {@code symbol} whose period starts in {@code [from, to)}, oldest first: {@link Candle}s
 * ({@code minute_start}) for interval {@code 1m}, {@link RollupCandle}s ({@code start}, {@code minute_count}) for
 * {@code 1h} and {@code 1d}.
 */
public record CandleSeries<C>(
        String symbol,

        @Schema(
                description = "1m, 1h or 1d",
                enumeration = {"1m", "1h", "1d"})
        String interval,

        long from,
        long to,

        @Schema(
                description = "oldest first; 1m: objects with minute_start, 1h and 1d: objects with start "
                        + "and minute_count (see Candle, RollupCandle)")
        List<C> candles) {}
