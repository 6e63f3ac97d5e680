package io.streamingpipeline.spark;

import io.streamingpipeline.contract.testing.TradeBuilder;
import java.util.List;

/** Trade JSON as the ingestor writes it, for tests: shorthands of the contract's {@link TradeBuilder}. */
public final class TestTrades {

    /** 2025-11-24T16:00:00Z */
    public static final long T0 = TradeBuilder.T0;

    public static final long KAFKA_TIME = T0 + 5_000;

    private TestTrades() {}

    /** A UUIDv7-shaped id whose order follows {@code n}. */
    public static String id(int n) {
        return TradeBuilder.uuid(n).toString();
    }

    public static String trade(String id, String symbol, double price, double volume, long timestampUnix) {
        return trade(id, symbol, price, volume, timestampUnix, List.of("1"));
    }

    public static String trade(
            String id, String symbol, double price, double volume, long timestampUnix, List<String> conditions) {
        return TradeBuilder.trade()
                .id(id)
                .symbol(symbol)
                .price(price)
                .volume(volume)
                .timestampUnix(timestampUnix)
                .conditions(conditions)
                .json();
    }

    /** A valid trade with one field's JSON text replaced (or removed when {@code json} is null). */
    public static String tradeWith(String field, String json) {
        return TradeBuilder.trade().jsonWith(field, json);
    }
}
