package io.streamingpipeline.query.domain;

import io.streamingpipeline.contract.Trade;
import java.util.List;

/**
 * Trades of {@code symbol} in {@code [from, to)}, newest first. {@code nextPageToken} is null on the last page;
 * otherwise pass it as {@code page} (with the same {@code from}) for the next, older trades.
 */
public record TradePage(String symbol, long from, long to, int limit, List<Trade> trades, String nextPageToken) {}
