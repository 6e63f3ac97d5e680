package io.streamingpipeline.it;

import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.Trade;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one-minute candles of trades ({@link #of}) as rows of {@code crypto_candles_1m} would hold them, computed in plain
 * Java, independently of Spark: open/close = price of the first/last trade by (trade time, id as lower-case text),
 * high, low, volume, count, VWAP = Σ price·volume / Σ volume (null when the volume is 0).
 */
final class ExpectedCandles {

    static final long MINUTE_MILLIS = 60_000L;

    private ExpectedCandles() {}

    /** Candles of {@code trades}, sorted by symbol and minute. */
    static List<CandleRow> of(List<Trade> trades) {
        Map<String, List<Trade>> byMinute = new TreeMap<>();
        for (Trade t : trades) {
            long minute = Math.floorDiv(t.timestampUnix(), MINUTE_MILLIS) * MINUTE_MILLIS;
            byMinute.computeIfAbsent(t.symbol() + "|" + String.format("%020d", minute), k -> new ArrayList<>())
                    .add(t);
        }
        Comparator<Trade> byTradeTime =
                Comparator.comparingLong(Trade::timestampUnix).thenComparing(t -> t.id().toString());
        List<CandleRow> candles = new ArrayList<>();
        byMinute.forEach((key, minuteTrades) -> {
            Trade first = minuteTrades.stream().min(byTradeTime).orElseThrow();
            Trade last = minuteTrades.stream().max(byTradeTime).orElseThrow();
            long minute = Math.floorDiv(first.timestampUnix(), MINUTE_MILLIS) * MINUTE_MILLIS;
            double volume = 0;
            double notional = 0;
            double high = Double.NEGATIVE_INFINITY;
            double low = Double.POSITIVE_INFINITY;
            for (Trade t : minuteTrades) {
                volume += t.volume();
                notional += t.price() * t.volume();
                high = Math.max(high, t.price());
                low = Math.min(low, t.price());
            }
            Instant start = Instant.ofEpochMilli(minute);
            candles.add(new CandleRow(
                    first.symbol(),
                    start.atOffset(ZoneOffset.UTC).toLocalDate().toString(),
                    start,
                    first.price(),
                    high,
                    low,
                    last.price(),
                    volume,
                    minuteTrades.size(),
                    volume > 0 ? notional / volume : null));
        });
        return candles;
    }

    /** symbol|minute, to match candles up. */
    static String key(CandleRow candle) {
        return candle.symbol() + "|" + candle.minuteStart();
    }
}
