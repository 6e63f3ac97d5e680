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

    @Test
    void aDefaultRangeWiderThanItsMaximumNamesBothKeysAndVariables() {
        assertThat(QueryConfigCheck.rangeProblem("query.candles.1h", Duration.ofDays(7), Duration.ofDays(90)))
                .isNull();
        assertThat(QueryConfigCheck.rangeProblem("query.candles.1h", Duration.ofDays(100), Duration.ofDays(90)))
                .isEqualTo("query.candles.1h.default-range (QUERY_CANDLES_1H_DEFAULT_RANGE) is PT2400H, wider than "
                        + "query.candles.1h.max-range (QUERY_CANDLES_1H_MAX_RANGE) PT2160H, so every request without "
                        + "from would be refused; set it to at most the maximum, or raise the maximum");
        assertThat(QueryConfigCheck.rangeProblem("query.candles.1d", Duration.ofDays(1), Duration.ZERO))
                .isEqualTo("query.candles.1d.max-range (QUERY_CANDLES_1D_MAX_RANGE) is PT0S; set a positive duration "
                        + "such as 7d");
        assertThat(QueryConfigCheck.rangeProblem("query.trades", Duration.ofHours(-1), Duration.ofDays(7)))
                .isEqualTo("query.trades.default-range (QUERY_TRADES_DEFAULT_RANGE) is PT-1H; set a positive duration "
                        + "such as 1h");
    }
}
