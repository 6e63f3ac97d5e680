package io.streamingpipeline.spark;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Trade JSON as the ingestor writes it, for tests. */
public final class TestTrades {

    /** 2025-11-24T16:00:00Z */
    public static final long T0 = 1_764_000_000_000L;

    public static final long KAFKA_TIME = T0 + 5_000;

    private TestTrades() {}

    /** A UUIDv7-shaped id whose order follows {@code n}. */
    public static String id(int n) {
        return String.format(Locale.ROOT, "019ab2d4-5c1e-7a3b-8c4d-%012x", n);
    }

    public static String trade(String id, String symbol, double price, double volume, long timestampUnix) {
        return trade(id, symbol, price, volume, timestampUnix, List.of("1"));
    }

    public static String trade(
            String id, String symbol, double price, double volume, long timestampUnix, List<String> conditions) {
        String c = conditions == null
                ? "null"
                : conditions.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(",", "[", "]"));
        return "{\"id\":\"" + id + "\",\"symbol\":\"" + symbol + "\",\"price\":" + price + ",\"volume\":" + volume
                + ",\"timestamp_unix\":" + timestampUnix + ",\"conditions\":" + c + ",\"ingested_at\":"
                + (timestampUnix + 50) + "}";
    }

    /** A valid trade with one field's JSON text replaced (or removed when {@code json} is null). */
    public static String tradeWith(String field, String json) {
        String base = "{\"id\":\"" + id(1) + "\",\"symbol\":\"BINANCE:BTCUSDT\",\"price\":97000.5,\"volume\":0.25,"
                + "\"timestamp_unix\":" + T0 + ",\"conditions\":[\"1\",\"12\"],\"ingested_at\":" + (T0 + 50) + "}";
        String pattern = "\"" + field + "\":(\\[[^\\]]*\\]|\"[^\"]*\"|[^,}]*)";
        return json == null
                ? base.replaceFirst(",?" + pattern, "").replace("{,", "{")
                : base.replaceFirst(pattern, java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + json));
    }
}
