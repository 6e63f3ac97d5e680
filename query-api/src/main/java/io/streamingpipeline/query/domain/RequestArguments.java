package io.streamingpipeline.query.domain;

import java.util.regex.Pattern;

/** Checks of the path and query parameters other than times (see {@link TimeRange}). */
public final class RequestArguments {

    /** As the ingestor accepts them, e.g. {@code BINANCE:BTCUSDT}, {@code AAPL}, {@code OANDA:EUR_USD}. */
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._\\-/^=!]{0,63}");

    private RequestArguments() {
    }

    public static String symbol(String symbol) {
        if (symbol == null || !SYMBOL.matcher(symbol).matches()) {
            throw new InvalidRequestException("symbol", "symbol '" + TimeRange.shorten(String.valueOf(symbol))
                    + "' is not a symbol: 1 to 64 letters, digits and : . _ - / ^ = !, starting with a letter or "
                    + "digit, e.g. BINANCE:BTCUSDT");
        }
        return symbol;
    }

    /** {@code limit}: absent = {@code defaultLimit}, else a whole number from 1 to {@code maxLimit}. */
    public static int limit(String text, int defaultLimit, int maxLimit) {
        if (text == null || text.isBlank()) {
            return defaultLimit;
        }
        String value = text.strip();
        int limit;
        try {
            limit = value.matches("-?\\d{1,9}") ? Integer.parseInt(value) : -1;
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (!value.matches("-?\\d{1,9}") || limit < 1 || limit > maxLimit) {
            throw new InvalidRequestException("limit", "limit '" + TimeRange.shorten(value)
                    + "' must be a whole number from 1 to " + maxLimit);
        }
        return limit;
    }
}
