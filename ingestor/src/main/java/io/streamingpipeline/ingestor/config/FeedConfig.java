package io.streamingpipeline.ingestor.config;

import io.quarkus.runtime.configuration.TrimmedStringConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The ingestor's own settings (prefix {@code finnhub}). Each key is also an environment variable by Quarkus'
 * usual mapping, e.g. {@code finnhub.symbols} = {@code FINNHUB_SYMBOLS}; ingestor/README.md lists them all.
 * {@link FeedConfigCheck} checks the values while the application starts.
 */
@ConfigMapping(prefix = "finnhub")
public interface FeedConfig {

    /** Websocket URL of the feed, without the token. */
    @WithDefault("wss://ws.finnhub.io")
    String url();

    /** The API token. Prefer {@link #tokenFile()} in containers. */
    Optional<String> token();

    /** A file holding the API token (a Docker or Kubernetes secret). */
    Optional<String> tokenFile();

    /** Symbols to subscribe to, comma separated, each trimmed; at most 50 (the free plan's cap). */
    @WithDefault("BINANCE:BTCUSDT,BINANCE:ETHUSDT")
    @WithConverter(TrimmedStringConverter.class)
    List<String> symbols();

    Reconnect reconnect();

    Watchdog watchdog();

    /**
     * Largest websocket message accepted from the feed; a larger one closes the connection and is counted. Finnhub's
     * frames are tens of KB (a few hundred trades of 60-90 bytes): 1 MiB leaves an order of magnitude of headroom,
     * and bounds the memory a message can take.
     */
    @WithDefault("1048576")
    int maxMessageBytes();

    /** How long the websocket handshake may take. */
    @WithDefault("15s")
    Duration connectTimeout();

    /** A trade whose time is further than this in the future is rejected as implausible. */
    @WithDefault("1h")
    Duration maxFutureSkew();

    interface Reconnect {
        @WithDefault("500ms")
        Duration initialBackoff();

        @WithDefault("30s")
        Duration maxBackoff();

        /** Fraction of each delay that is randomised, 0 to 1. */
        @WithDefault("0.5")
        double jitter();
    }

    interface Watchdog {
        /** Reconnect when nothing (no trade, no ping) arrived for this long. Finnhub pings every minute or two. */
        @WithDefault("150s")
        Duration idleTimeout();
    }
}
