package io.streamingpipeline.query.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The service's own settings ({@code query.*}); the Cassandra connection itself is {@code quarkus.cassandra.*}.
 * Every key can be given as its environment variable, e.g. {@code query.trades.max-limit} = {@code QUERY_TRADES_MAX_LIMIT}.
 */
@ConfigMapping(prefix = "query")
public interface QueryConfig {

    /** Keyspace of the pipeline's tables (the contract's default: spark_streaming). */
    @WithDefault("spark_streaming")
    String keyspace();

    /** The symbols {@code GET /api/symbols} lists (and the page offers). */
    @WithDefault("BINANCE:BTCUSDT,BINANCE:ETHUSDT")
    List<String> symbols();

    Trades trades();

    Candles candles();

    Live live();

    Pipeline pipeline();

    Health health();

    Cassandra cassandra();

    interface Health {
        /** How long the readiness check waits for Cassandra's answer. */
        @WithDefault("2s")
        Duration timeout();
    }

    interface Cassandra {
        /** A file holding the Cassandra password (read by {@link PasswordFileConfigSourceFactory}). */
        @WithName("password-file")
        Optional<String> passwordFile();
    }

    interface Trades {
        /** Widest {@code to - from} of a trades query. */
        @WithName("max-range")
        @WithDefault("7d")
        Duration maxRange();

        /** {@code from} when absent: {@code to} minus this. */
        @WithName("default-range")
        @WithDefault("1h")
        Duration defaultRange();

        @WithName("default-limit")
        @WithDefault("100")
        int defaultLimit();

        @WithName("max-limit")
        @WithDefault("1000")
        int maxLimit();
    }

    /** Ranges of {@code GET /api/candles}: these keys for 1-minute candles, the groups {@code 1h} and {@code 1d}. */
    interface Candles {
        /** Widest {@code to - from} of a 1-minute candles query (31 days = at most 44,640 candles). */
        @WithName("max-range")
        @WithDefault("31d")
        Duration maxRange();

        @WithName("default-range")
        @WithDefault("6h")
        Duration defaultRange();

        /** {@code query.candles.1h.*}: hourly candles. */
        @WithName("1h")
        Hourly hourly();

        /** {@code query.candles.1d.*}: daily candles. */
        @WithName("1d")
        Daily daily();
    }

    interface Hourly {
        /** 90 days = at most 2,160 candles from at most 5 month partitions. */
        @WithName("max-range")
        @WithDefault("90d")
        Duration maxRange();

        @WithName("default-range")
        @WithDefault("7d")
        Duration defaultRange();
    }

    interface Daily {
        /** 3 years (1,096 days) = at most 1,096 candles from at most 5 year partitions. */
        @WithName("max-range")
        @WithDefault("1096d")
        Duration maxRange();

        @WithName("default-range")
        @WithDefault("30d")
        Duration defaultRange();
    }

    interface Live {
        /** How often a live stream reads the latest candles of its symbol. */
        @WithName("poll-interval")
        @WithDefault("1s")
        Duration pollInterval();

        /** How far back each poll looks (late trades still change these minutes). */
        @WithDefault("3m")
        Duration window();

        /** Live streams open at once (all symbols together); one more is answered 429. */
        @WithName("max-streams")
        @WithDefault("200")
        int maxStreams();
    }

    interface Pipeline {
        /** Per request to the ingestor or the job. */
        @WithDefault("2s")
        Duration timeout();

        /** How long one reading of the pipeline's state answers every {@code /api/pipeline} request (0: no cache). */
        @WithName("cache-ttl")
        @WithDefault("2s")
        Duration cacheTtl();

        Component ingestor();

        Component job();
    }

    interface Component {
        /** e.g. http://ingestor:8080/q/health/ready; absent: shown as "not configured". */
        @WithName("health-url")
        Optional<URI> healthUrl();

        /** Prometheus text, e.g. http://ingestor:8080/q/metrics. */
        @WithName("metrics-url")
        Optional<URI> metricsUrl();

        /** The counter whose rate the page shows as rows/s (all its series summed). */
        @WithName("rate-metric")
        String rateMetric();
    }
}
