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
        List<String> problems = problems(
                config.live().maxStreams(),
                config.live().pollInterval(),
                config.pipeline().cacheTtl());
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
}
