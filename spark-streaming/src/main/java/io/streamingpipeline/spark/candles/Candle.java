package io.streamingpipeline.spark.candles;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A one-minute OHLCV candle of a symbol, by event time (the trades' own times, not their arrival), in a form that
 * merges: the candle of some trades merged with the candle of other trades of the same minute is the candle of all
 * of them, whatever the order of merging. Open and close are the prices of the earliest and latest trade by
 * {@code (time, id)}: equal times are broken by id, deterministically (ids are lower-case UUIDv7 text, as the
 * ingestor assigns them, compared as text). VWAP is {@code notional / volume}, null when the volume is 0.
 *
 * @param minuteStart UNIX milliseconds of the minute's first millisecond (UTC)
 * @param notional    sum of price × volume
 */
public record Candle(
        String symbol,
        long minuteStart,
        long openTime,
        String openId,
        double open,
        double high,
        double low,
        long closeTime,
        String closeId,
        double close,
        double volume,
        long tradeCount,
        double notional)
        implements Serializable {

    public static final long MINUTE_MILLIS = 60_000L;
    private static final long DAY_MILLIS = 86_400_000L;

    /** Which candle: symbol and minute. */
    public record Key(String symbol, long minuteStart) implements Serializable {

        /** {@code yyyy-MM-dd}, the UTC date of the minute: the table's partition key with the symbol. */
        public String day() {
            return LocalDate.ofEpochDay(Math.floorDiv(minuteStart, DAY_MILLIS)).toString();
        }
    }

    public Candle {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(openId, "openId");
        Objects.requireNonNull(closeId, "closeId");
    }

    /** The candle of one trade. */
    public static Candle ofTrade(String symbol, long time, String id, double price, double volume) {
        return new Candle(
                symbol, minuteOf(time), time, id, price, price, price, time, id, price, volume, 1, price * volume);
    }

    /** The UTC minute a trade time falls in. */
    public static long minuteOf(long unixMillis) {
        return Math.floorDiv(unixMillis, MINUTE_MILLIS) * MINUTE_MILLIS;
    }

    public Key key() {
        return new Key(symbol, minuteStart);
    }

    /** The candle of this candle's trades and {@code other}'s, which must be of the same symbol and minute. */
    public Candle merge(Candle other) {
        if (!key().equals(other.key())) {
            throw new IllegalArgumentException("cannot merge candles of " + key() + " and " + other.key());
        }
        boolean otherOpens = before(other.openTime, other.openId, openTime, openId);
        boolean otherCloses = before(closeTime, closeId, other.closeTime, other.closeId);
        return new Candle(
                symbol,
                minuteStart,
                otherOpens ? other.openTime : openTime,
                otherOpens ? other.openId : openId,
                otherOpens ? other.open : open,
                Math.max(high, other.high),
                Math.min(low, other.low),
                otherCloses ? other.closeTime : closeTime,
                otherCloses ? other.closeId : closeId,
                otherCloses ? other.close : close,
                volume + other.volume,
                tradeCount + other.tradeCount,
                notional + other.notional);
    }

    /** Volume-weighted average price, or null when the minute had no volume. */
    public Double vwap() {
        return volume > 0 ? notional / volume : null;
    }

    private static boolean before(long time, String id, long otherTime, String otherId) {
        return time < otherTime || (time == otherTime && id.compareTo(otherId) < 0);
    }
}
