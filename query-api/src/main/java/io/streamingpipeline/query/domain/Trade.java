package io.streamingpipeline.query.domain;

import java.util.List;

/** One trade as stored in {@code crypto_trades} (JSON in snake_case, times in UNIX milliseconds, as the contract). */
public record Trade(
        String id,
        String symbol,
        double price,
        double volume,
        long timestampUnix,
        List<String> conditions,
        Long ingestedAt) {}
