package io.streamingpipeline.query.pipeline;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What the ingestor could not see, from its metrics: Finnhub has no replay, so the time without a subscribed feed is
 * trades never received. {@code gapSecondsTotal} and {@code gapSeconds} by reason ({@code starting}, {@code closed},
 * {@code connect_failed}, {@code idle}, {@code too_large}) count closed gaps; {@code disconnectedSeconds} is the gap
 * still open (0 while subscribed); {@code symbolLastTradeAgeSeconds} the seconds since each symbol's last trade.
 */
public record FeedGaps(
        double gapSecondsTotal,
        Map<String, Double> gapSeconds,
        Double disconnectedSeconds,
        Map<String, Double> symbolLastTradeAgeSeconds) {

    /** The ingestor's metric names (its {@code feed/FeedGaps}), as Prometheus text shows them. */
    static final String GAP_SECONDS = "ingestor_feed_gap_seconds_total";

    static final String DISCONNECTED_SECONDS = "ingestor_feed_disconnected_seconds";
    static final String SYMBOL_LAST_TRADE_AGE = "ingestor_feed_symbol_last_trade_age_seconds";

    /** The feed gaps of an ingestor's {@code /q/metrics}, or null when it exports none of them (an older version). */
    static FeedGaps read(String prometheusText) {
        OptionalDouble total = PrometheusText.sum(prometheusText, GAP_SECONDS);
        OptionalDouble open = PrometheusText.sum(prometheusText, DISCONNECTED_SECONDS);
        Map<String, Double> ages = PrometheusText.sumByLabel(prometheusText, SYMBOL_LAST_TRADE_AGE, "symbol");
        if (total.isEmpty() && open.isEmpty() && ages.isEmpty()) {
            return null;
        }
        return new FeedGaps(
                total.orElse(0),
                sorted(PrometheusText.sumByLabel(prometheusText, GAP_SECONDS, "reason")),
                open.isPresent() ? open.getAsDouble() : null,
                sorted(ages));
    }

    private static Map<String, Double> sorted(Map<String, Double> values) {
        return Collections.unmodifiableMap(new TreeMap<>(values));
    }
}
