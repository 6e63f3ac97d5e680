package io.streamingpipeline.query.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueryConfigCheckTest {

    @Test
    void defaultsPass() {
        assertThat(QueryConfigCheck.problems(200, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isEmpty();
        assertThat(QueryConfigCheck.problems(1, Duration.ofMillis(1), Duration.ZERO))
                .isEmpty();
    }

    @Test
    void eachBadBoundNamesItsKeyAndVariable() {
        assertThat(QueryConfigCheck.problems(0, Duration.ZERO, Duration.ofSeconds(-1)))
                .containsExactly(
                        "query.live.max-streams (QUERY_LIVE_MAX_STREAMS) is 0; set it to the number of live streams to serve "
                                + "at once, at least 1 (default 200)",
                        "query.live.poll-interval (QUERY_LIVE_POLL_INTERVAL) is PT0S; set a positive duration such as 1s",
                        "query.pipeline.cache-ttl (QUERY_PIPELINE_CACHE_TTL) is PT-1S; set 0 (no cache) or a positive duration "
                                + "such as 2s");
    }
}
