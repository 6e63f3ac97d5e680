package io.streamingpipeline.ingestor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks of {@link FeedConfigCheck} on {@link FeedConfig}s mapped by SmallRye, as Quarkus maps them. */
class FeedConfigCheckTest {

    private static final String TOKEN = "sekr3t-t0ken";

    /** The mapping of {@code finnhub.token} plus the given keys, with Quarkus' duration syntax (500ms, 30s). */
    static FeedConfig config(String... keyValues) {
        Map<String, String> properties = new HashMap<>();
        properties.put("finnhub.token", TOKEN);
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        properties.values().removeIf(v -> v == null);
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(FeedConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build()
                .getConfigMapping(FeedConfig.class);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        FeedConfig c = config();
        assertThat(c.url()).isEqualTo("wss://ws.finnhub.io");
        assertThat(c.symbols()).containsExactly("BINANCE:BTCUSDT", "BINANCE:ETHUSDT");
        assertThat(c.reconnect().initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.reconnect().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.reconnect().jitter()).isEqualTo(0.5);
        assertThat(c.watchdog().idleTimeout()).isEqualTo(Duration.ofSeconds(150));
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(c.maxFutureSkew()).isEqualTo(Duration.ofHours(1));
        assertThat(c.tokenFile()).isEmpty();
    }

    @Test
    void acceptsAGoodConfigurationAndPutsTheTokenOnlyInTheConnectUri() {
        FeedConfig c = config("finnhub.symbols", "BINANCE:BTCUSDT, AAPL ");
        FeedEndpoint e = FeedConfigCheck.check(c);
        assertThat(c.symbols()).containsExactly("BINANCE:BTCUSDT", "AAPL");
        assertThat(e.connectUri().toString()).isEqualTo("wss://ws.finnhub.io/?token=" + TOKEN);
        assertThat(e.url().toString()).doesNotContain(TOKEN);
        assertThat(e.toString()).doesNotContain(TOKEN).contains("<redacted>");
    }

    @Test
    void urlEncodesTheTokenAndKeepsAPath() {
        FeedEndpoint e =
                FeedConfigCheck.check(config("finnhub.url", "ws://127.0.0.1:9000/feed", "finnhub.token", "a+b&c"));
        assertThat(e.connectUri().toString()).isEqualTo("ws://127.0.0.1:9000/feed?token=a%2Bb%26c");
    }

    @Test
    void readsTheTokenFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        FeedEndpoint e = FeedConfigCheck.check(config("finnhub.token", null, "finnhub.token-file", file.toString()));
        assertThat(e.token()).isEqualTo(TOKEN);
    }

    @Test
    void missingTokenSaysWhatToSet() {
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.token", null)))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("FINNHUB_TOKEN")
                .hasMessageContaining("FINNHUB_TOKEN_FILE");
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.token", "   ")))
                .hasMessageContaining("No Finnhub API token");
    }

    @Test
    void badTokenFilesSayWhatIsWrongWithoutTheContent(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> FeedConfigCheck.check(config(
                        "finnhub.token",
                        null,
                        "finnhub.token-file",
                        dir.resolve("nope").toString())))
                .hasMessageContaining("does not exist");
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertThatThrownBy(() ->
                        FeedConfigCheck.check(config("finnhub.token", null, "finnhub.token-file", empty.toString())))
                .hasMessageContaining("is empty");
        Path spaced = Files.writeString(dir.resolve("spaced"), "abc " + TOKEN);
        assertThatThrownBy(() ->
                        FeedConfigCheck.check(config("finnhub.token", null, "finnhub.token-file", spaced.toString())))
                .hasMessageContaining("whitespace")
                .message()
                .doesNotContain(TOKEN);
    }

    @Test
    void badUrlsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.url", "http://ws.finnhub.io")))
                .hasMessageContaining("ws:// or wss://");
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.url", "wss://")))
                .hasMessageContaining("FINNHUB_URL");
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.url", "wss://ws.finnhub.io?token=" + TOKEN)))
                .hasMessageContaining("must not carry a query")
                .message()
                .doesNotContain(TOKEN);
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.url", "wss://ws finnhub io/" + TOKEN)))
                .hasMessageContaining("not a valid URL")
                .message()
                .doesNotContain(TOKEN);
    }

    @Test
    void symbolListMustBeNonEmptyWellFormedUniqueAndAtMostFifty() {
        assertThatThrownBy(() -> FeedConfigCheck.checkSymbols(java.util.List.of()))
                .hasMessageContaining("FINNHUB_SYMBOLS")
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.symbols", "BINANCE:BTCUSDT,BAD SYMBOL")))
                .hasMessageContaining("malformed symbol 'BAD SYMBOL'");
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.symbols", "AAPL, AAPL")))
                .hasMessageContaining("twice");
        String fiftyOne = IntStream.range(0, 51).mapToObj(i -> "SYM" + i).collect(Collectors.joining(","));
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.symbols", fiftyOne)))
                .hasMessageContaining("51 symbols")
                .hasMessageContaining("at most 50");
        FeedConfig fifty = config("finnhub.symbols", fiftyOne.substring(0, fiftyOne.lastIndexOf(',')));
        FeedConfigCheck.check(fifty);
        assertThat(fifty.symbols()).hasSize(50);
    }

    @Test
    void backoffAndTimeoutsMustMakeSense() {
        assertThatThrownBy(() -> FeedConfigCheck.check(
                        config("finnhub.reconnect.initial-backoff", "10s", "finnhub.reconnect.max-backoff", "1s")))
                .hasMessageContaining("max-backoff");
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.reconnect.jitter", "2")))
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.watchdog.idle-timeout", "0s")))
                .hasMessageContaining("idle-timeout");
        assertThatThrownBy(() -> FeedConfigCheck.check(config("finnhub.max-message-bytes", "100")))
                .hasMessageContaining("FINNHUB_MAX_MESSAGE_BYTES");
    }
}
