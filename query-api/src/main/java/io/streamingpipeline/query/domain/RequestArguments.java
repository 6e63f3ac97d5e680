package io.streamingpipeline.query.domain;

import io.streamingpipeline.contract.TradeValidation;
import java.util.regex.Pattern;

/** Checks of the path and query parameters other than times (see {@link TimeRange}). */
public final class RequestArguments {

    private static final Pattern LIMIT = Pattern.compile("-?\\d{1,9}");

    private RequestArguments() {}

    /** A symbol as the pipeline stores it: the contract's rule ({@link TradeValidation#symbolProblem}). */
    public static String symbol(String symbol) {
        String problem = TradeValidation.symbolProblem(symbol);
        if (problem != null) {
            throw new InvalidRequestException(
                    "symbol",
                    "symbol '" + TimeRange.shorten(String.valueOf(symbol)).replaceAll("\\p{Cntrl}", "?")
                            + "' is not a symbol: it " + problem + ", e.g. BINANCE:BTCUSDT");
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
            limit = LIMIT.matcher(value).matches() ? Integer.parseInt(value) : -1;
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (!LIMIT.matcher(value).matches() || limit < 1 || limit > maxLimit) {
            throw new InvalidRequestException(
                    "limit", "limit '" + TimeRange.shorten(value) + "' must be a whole number from 1 to " + maxLimit);
        }
        return limit;
    }
}
