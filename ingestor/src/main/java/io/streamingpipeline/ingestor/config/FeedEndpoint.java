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
import java.util.Locale;

/**
 * Where the client connects: {@code finnhub.url} checked, and the token from {@code finnhub.token} or the file
 * {@code finnhub.token-file}. {@link #toString()} and every message leave the token out.
 *
 * @param url   the feed's URL without the token, safe to log
 * @param token the secret itself, for the connection and the log redaction filter only
 */
public record FeedEndpoint(URI url, String token) {

    /** @throws InvalidConfigurationException naming the setting to fix */
    public static FeedEndpoint from(FeedConfig config) {
        return new FeedEndpoint(parseUrl(config.url()), resolveToken(config));
    }

    /** The URL to connect to, token included: hand it to the websocket client only, never to a log. */
    public URI connectUri() {
        String base = url.toString();
        if (url.getRawPath() == null || url.getRawPath().isEmpty()) {
            base = base + "/";
        }
        return URI.create(base + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "FeedEndpoint[url=" + url + ", token=<redacted>]";
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
}
