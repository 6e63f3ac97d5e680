package io.streamingpipeline.ingestor.config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@link FeedConfig} while the application starts, so that a wrong setting stops it at once with a message
 * naming the key, its environment variable and the fix (never the token).
 */
@ApplicationScoped
public class FeedConfigCheck {

    /** Finnhub's free plan refuses more symbols per connection. */
    public static final int MAX_SYMBOLS = 50;

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._\\-/^=!]{0,63}");

    @Produces
    @Singleton
    @Startup(Interceptor.Priority.PLATFORM_BEFORE)
    FeedEndpoint checkedEndpoint(FeedConfig config) {
        try {
            return check(config);
        } catch (InvalidConfigurationException e) {
            // One plain line to read first; Quarkus then prints its own start-up failure.
            Log.error("Configuration error: " + e.getMessage());
            throw e;
        }
    }

    /**
     * @return the endpoint (URL and token) of a configuration without problems
     * @throws InvalidConfigurationException naming the first setting to fix
     */
    public static FeedEndpoint check(FeedConfig config) {
        FeedEndpoint endpoint = FeedEndpoint.from(config);
        checkSymbols(config.symbols());
        FeedConfig.Reconnect reconnect = config.reconnect();
        checkPositive(
                reconnect.initialBackoff(), "finnhub.reconnect.initial-backoff (FINNHUB_RECONNECT_INITIAL_BACKOFF)");
        checkPositive(reconnect.maxBackoff(), "finnhub.reconnect.max-backoff (FINNHUB_RECONNECT_MAX_BACKOFF)");
        if (reconnect.maxBackoff().compareTo(reconnect.initialBackoff()) < 0) {
            throw new InvalidConfigurationException(
                    "finnhub.reconnect.max-backoff (FINNHUB_RECONNECT_MAX_BACKOFF) must not be "
                            + "smaller than finnhub.reconnect.initial-backoff (FINNHUB_RECONNECT_INITIAL_BACKOFF).");
        }
        double jitter = reconnect.jitter();
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new InvalidConfigurationException(
                    "finnhub.reconnect.jitter (FINNHUB_RECONNECT_JITTER) must be between 0 and 1, was " + jitter + ".");
        }
        checkPositive(config.watchdog().idleTimeout(), "finnhub.watchdog.idle-timeout (FINNHUB_WATCHDOG_IDLE_TIMEOUT)");
        checkPositive(config.connectTimeout(), "finnhub.connect-timeout (FINNHUB_CONNECT_TIMEOUT)");
        if (config.maxMessageBytes() < 1024) {
            throw new InvalidConfigurationException(
                    "finnhub.max-message-bytes (FINNHUB_MAX_MESSAGE_BYTES) must be at least 1024, was "
                            + config.maxMessageBytes() + ".");
        }
        return endpoint;
    }

    static void checkSymbols(List<String> symbols) {
        if (symbols.isEmpty()) {
            throw new InvalidConfigurationException(
                    "finnhub.symbols (FINNHUB_SYMBOLS) is empty: give at least one symbol, "
                            + "e.g. BINANCE:BTCUSDT,BINANCE:ETHUSDT.");
        }
        Set<String> unique = new HashSet<>();
        for (String s : symbols) {
            if (!SYMBOL.matcher(s).matches()) {
                throw new InvalidConfigurationException("finnhub.symbols (FINNHUB_SYMBOLS) holds a malformed symbol '"
                        + printable(s) + "': use Finnhub's form such as BINANCE:BTCUSDT, COINBASE:BTC-USD or AAPL "
                        + "(letters, digits and : . _ - / ^ = !, at most 64 characters).");
            }
            if (!unique.add(s)) {
                throw new InvalidConfigurationException("finnhub.symbols (FINNHUB_SYMBOLS) lists '" + s + "' twice.");
            }
        }
        if (unique.size() > MAX_SYMBOLS) {
            throw new InvalidConfigurationException("finnhub.symbols (FINNHUB_SYMBOLS) lists " + unique.size()
                    + " symbols; Finnhub allows at most " + MAX_SYMBOLS + " per connection. Remove "
                    + (unique.size() - MAX_SYMBOLS) + ".");
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 70 ? s.substring(0, 70) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static void checkPositive(Duration d, String key) {
        if (d.isZero() || d.isNegative()) {
            throw new InvalidConfigurationException(key + " must be a positive duration, e.g. 5s.");
        }
    }
}
