package io.streamingpipeline.query.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The candle ranges' defaults, and the environment variables the README gives for them. */
class QueryConfigMappingTest {

    private static final Map<String, String> REQUIRED = Map.of(
            "query.pipeline.ingestor.rate-metric", "a_total",
            "query.pipeline.job.rate-metric", "b_total");

    private static QueryConfig config(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(QueryConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus' "7d" form
                .withSources(new PropertiesConfigSource(REQUIRED, "required", 100))
                .withSources(new EnvConfigSource(env, 300))
                .build();
        return config.getConfigMapping(QueryConfig.class);
    }

    @Test
    void defaults() {
        QueryConfig.Candles candles = config(Map.of()).candles();
        assertThat(candles.defaultRange()).isEqualTo(Duration.ofHours(6));
        assertThat(candles.maxRange()).isEqualTo(Duration.ofDays(31));
        assertThat(candles.hourly().defaultRange()).isEqualTo(Duration.ofDays(7));
        assertThat(candles.hourly().maxRange()).isEqualTo(Duration.ofDays(90));
        assertThat(candles.daily().defaultRange()).isEqualTo(Duration.ofDays(30));
        assertThat(candles.daily().maxRange()).isEqualTo(Duration.ofDays(1096));
    }

    @Test
    void environmentVariables() {
        QueryConfig.Candles candles = config(Map.of(
                        "QUERY_CANDLES_MAX_RANGE", "2d",
                        "QUERY_CANDLES_1H_DEFAULT_RANGE", "3d",
                        "QUERY_CANDLES_1H_MAX_RANGE", "30d",
                        "QUERY_CANDLES_1D_DEFAULT_RANGE", "10d",
                        "QUERY_CANDLES_1D_MAX_RANGE", "400d"))
                .candles();
        assertThat(candles.maxRange()).isEqualTo(Duration.ofDays(2));
        assertThat(candles.hourly().defaultRange()).isEqualTo(Duration.ofDays(3));
        assertThat(candles.hourly().maxRange()).isEqualTo(Duration.ofDays(30));
        assertThat(candles.daily().defaultRange()).isEqualTo(Duration.ofDays(10));
        assertThat(candles.daily().maxRange()).isEqualTo(Duration.ofDays(400));
        assertThat(QueryConfigCheck.env("query.candles.1h.max-range")).isEqualTo("QUERY_CANDLES_1H_MAX_RANGE");
    }
}
