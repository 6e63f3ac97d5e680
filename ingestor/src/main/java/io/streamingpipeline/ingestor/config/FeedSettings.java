package io.streamingpipeline.ingestor.config;

import io.streamingpipeline.contract.TradeContract;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validated feed settings. Building one fails with an {@link InvalidConfigurationException} naming the setting
 * to fix. {@link #toString()} and every message leave the token out.
 */
public final class FeedSettings {

    /** Finnhub's free plan refuses more symbols per connection. */
    public static final int MAX_SYMBOLS = 50;

    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._\\-/^=!]{0,63}");

    private final URI url;
    private final String token;
    private final List<String> symbols;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final Duration idleTimeout;
    private final int maxMessageBytes;
    private final Duration connectTimeout;
    private final Duration maxFutureSkew;

    private FeedSettings(URI url, String token, List<String> symbols, FeedConfig config) {
        this.url = url;
        this.token = token;
        this.symbols = symbols;
        this.initialBackoff = config.reconnect().initialBackoff();
        this.maxBackoff = config.reconnect().maxBackoff();
        this.jitter = config.reconnect().jitter();
        this.idleTimeout = config.watchdog().idleTimeout();
        this.maxMessageBytes = config.maxMessageBytes();
        this.connectTimeout = config.connectTimeout();
        this.maxFutureSkew = config.maxFutureSkew();
    }

    public static FeedSettings from(FeedConfig config) {
        URI url = parseUrl(config.url());
        String token = resolveToken(config);
        List<String> symbols = validateSymbols(config.symbols());
        checkPositive(
                config.reconnect().initialBackoff(),
                "finnhub.reconnect.initial-backoff (FINNHUB_RECONNECT_INITIAL_BACKOFF)");
        checkPositive(config.reconnect().maxBackoff(), "finnhub.reconnect.max-backoff (FINNHUB_RECONNECT_MAX_BACKOFF)");
        if (config.reconnect().maxBackoff().compareTo(config.reconnect().initialBackoff()) < 0) {
            throw new InvalidConfigurationException(
                    "finnhub.reconnect.max-backoff (FINNHUB_RECONNECT_MAX_BACKOFF) must not be "
                            + "smaller than finnhub.reconnect.initial-backoff (FINNHUB_RECONNECT_INITIAL_BACKOFF).");
        }
        double jitter = config.reconnect().jitter();
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
        return new FeedSettings(url, token, symbols, config);
    }

    static URI parseUrl(String raw) {
        String hint =
                " Set finnhub.url (FINNHUB_URL) to a websocket URL such as wss://ws.finnhub.io, without the token.";
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            // The URL is not echoed: a user may have pasted it with the token in it.
            throw new InvalidConfigurationException("finnhub.url (FINNHUB_URL) is not a valid URL." + hint);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new InvalidConfigurationException(
                    "finnhub.url (FINNHUB_URL) must start with ws:// or wss://." + hint);
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new InvalidConfigurationException("finnhub.url (FINNHUB_URL) has no host." + hint);
        }
        if (uri.getRawQuery() != null || uri.getUserInfo() != null) {
            throw new InvalidConfigurationException("finnhub.url (FINNHUB_URL) must not carry a query or credentials: "
                    + "give the token in " + TradeContract.Env.FINNHUB_TOKEN + " or "
                    + TradeContract.Env.FINNHUB_TOKEN_FILE + "." + hint);
        }
        return uri;
    }

    static String resolveToken(FeedConfig config) {
        String fromValue =
                config.token().map(String::trim).filter(t -> !t.isEmpty()).orElse(null);
        if (fromValue != null) {
            return checkTokenShape(fromValue, TradeContract.Env.FINNHUB_TOKEN);
        }
        if (config.tokenFile().isPresent() && !config.tokenFile().get().isBlank()) {
            Path file = Path.of(config.tokenFile().get().trim());
            String content;
            try {
                content = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (NoSuchFileException e) {
                throw new InvalidConfigurationException(TradeContract.Env.FINNHUB_TOKEN_FILE + " names " + file
                        + ", which does not exist. Mount the secret there or fix the path.");
            } catch (IOException e) {
                throw new InvalidConfigurationException(TradeContract.Env.FINNHUB_TOKEN_FILE + " names " + file
                        + ", which cannot be read (" + e.getClass().getSimpleName() + "). Check its permissions.");
            }
            if (content.isEmpty()) {
                throw new InvalidConfigurationException(TradeContract.Env.FINNHUB_TOKEN_FILE + " names " + file
                        + ", which is empty. Put the Finnhub API token in it.");
            }
            return checkTokenShape(content, TradeContract.Env.FINNHUB_TOKEN_FILE);
        }
        throw new InvalidConfigurationException("No Finnhub API token: set " + TradeContract.Env.FINNHUB_TOKEN
                + " or point " + TradeContract.Env.FINNHUB_TOKEN_FILE + " at a file holding it "
                + "(get a free token at finnhub.io; or run against the feed simulator, see the README).");
    }

    private static String checkTokenShape(String token, String source) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidConfigurationException("The token from " + source
                        + " contains whitespace or control characters; give only the token itself.");
            }
        }
        return token;
    }

    static List<String> validateSymbols(List<String> raw) {
        List<String> cleaned = new ArrayList<>();
        for (String s : raw) {
            String t = s.trim();
            if (!t.isEmpty()) {
                cleaned.add(t);
            }
        }
        if (cleaned.isEmpty()) {
            throw new InvalidConfigurationException(
                    "finnhub.symbols (FINNHUB_SYMBOLS) is empty: give at least one symbol, "
                            + "e.g. BINANCE:BTCUSDT,BINANCE:ETHUSDT.");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String s : cleaned) {
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
        return List.copyOf(unique);
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

    /** The URL to connect to, token included: hand it to the websocket client only, never to a log. */
    public URI connectUri() {
        String base = url.toString();
        if (url.getRawPath() == null || url.getRawPath().isEmpty()) {
            base = base + "/";
        }
        return URI.create(base + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** The URL without the token, safe to log. */
    public URI url() {
        return url;
    }

    /** The secret itself, for the log redaction filter. */
    public String token() {
        return token;
    }

    public List<String> symbols() {
        return symbols;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double jitter() {
        return jitter;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration maxFutureSkew() {
        return maxFutureSkew;
    }

    @Override
    public String toString() {
        return "FeedSettings[url=" + url + ", token=<redacted>, symbols=" + symbols + ", idleTimeout=" + idleTimeout
                + ", backoff=" + initialBackoff + ".." + maxBackoff + "]";
    }
}
