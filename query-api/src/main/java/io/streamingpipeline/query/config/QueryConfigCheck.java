package io.streamingpipeline.query.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Stops the service at start when a bound of {@link QueryConfig} makes no sense, saying which key to change. */
@ApplicationScoped
public class QueryConfigCheck {

    private static final Logger LOG = Logger.getLogger(QueryConfigCheck.class);

    void onStart(@Observes StartupEvent event, QueryConfig config) {
        List<String> problems = new ArrayList<>(problems(
                config.live().maxStreams(),
                config.live().pollInterval(),
                config.pipeline().cacheTtl()));
        addIfPresent(
                problems,
                rangeProblem(
                        "query.trades",
                        config.trades().defaultRange(),
                        config.trades().maxRange()));
        addIfPresent(
                problems,
                rangeProblem(
                        "query.candles",
                        config.candles().defaultRange(),
                        config.candles().maxRange()));
        addIfPresent(
                problems,
                rangeProblem(
                        "query.candles.1h",
                        config.candles().hourly().defaultRange(),
                        config.candles().hourly().maxRange()));
        addIfPresent(
                problems,
                rangeProblem(
                        "query.candles.1d",
                        config.candles().daily().defaultRange(),
                        config.candles().daily().maxRange()));
        if (!problems.isEmpty()) {
            String message = String.join("; ", problems);
            LOG.error("Configuration error: " + message); // one plain line to read first; Quarkus then prints its own
            throw new IllegalStateException("Configuration error: " + message);
        }
    }

    static List<String> problems(int maxStreams, Duration pollInterval, Duration cacheTtl) {
        List<String> problems = new ArrayList<>();
        if (maxStreams < 1) {
            problems.add("query.live.max-streams (QUERY_LIVE_MAX_STREAMS) is " + maxStreams
                    + "; set it to the number of live streams to serve at once, at least 1 (default 200)");
        }
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            problems.add("query.live.poll-interval (QUERY_LIVE_POLL_INTERVAL) is " + pollInterval
                    + "; set a positive duration such as 1s");
        }
        if (cacheTtl.isNegative()) {
            problems.add("query.pipeline.cache-ttl (QUERY_PIPELINE_CACHE_TTL) is " + cacheTtl
                    + "; set 0 (no cache) or a positive duration such as 2s");
        }
        return problems;
    }

    /**
     * The {@code <prefix>.default-range} / {@code <prefix>.max-range} pair of one query: both positive, the default
     * not wider than the maximum (else every request without {@code from} would be refused). Null when fine.
     */
    static String rangeProblem(String prefix, Duration defaultRange, Duration maxRange) {
        String max = prefix + ".max-range (" + env(prefix + ".max-range") + ")";
        String fallback = prefix + ".default-range (" + env(prefix + ".default-range") + ")";
        if (maxRange.isNegative() || maxRange.isZero()) {
            return max + " is " + maxRange + "; set a positive duration such as 7d";
        }
        if (defaultRange.isNegative() || defaultRange.isZero()) {
            return fallback + " is " + defaultRange + "; set a positive duration such as 1h";
        }
        if (defaultRange.compareTo(maxRange) > 0) {
            return fallback + " is " + defaultRange + ", wider than " + max + " " + maxRange
                    + ", so every request without from would be refused; set it to at most the maximum, or raise "
                    + "the maximum";
        }
        return null;
    }

    /** The environment variable of a key, as Quarkus maps it: query.candles.1h.max-range = QUERY_CANDLES_1H_MAX_RANGE. */
    static String env(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static void addIfPresent(List<String> problems, String problem) {
        if (problem != null) {
            problems.add(problem);
        }
    }
}
