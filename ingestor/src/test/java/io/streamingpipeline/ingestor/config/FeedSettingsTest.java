package io.streamingpipeline.ingestor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedSettingsTest {

    private static final String TOKEN = "sekr3t-t0ken";

    @Test
    void acceptsAGoodConfigurationAndPutsTheTokenOnlyInTheConnectUri() {
        FeedSettings s = FeedSettings.from(config().build());
        assertThat(s.symbols()).containsExactly("BINANCE:BTCUSDT", "AAPL");
        assertThat(s.connectUri().toString()).isEqualTo("wss://ws.finnhub.io/?token=" + TOKEN);
        assertThat(s.url().toString()).doesNotContain(TOKEN);
        assertThat(s.toString()).doesNotContain(TOKEN).contains("<redacted>");
    }

    @Test
    void urlEncodesTheTokenAndKeepsAPath() {
        FeedSettings s = FeedSettings.from(
                config().url("ws://127.0.0.1:9000/feed").token("a+b&c").build());
        assertThat(s.connectUri().toString()).isEqualTo("ws://127.0.0.1:9000/feed?token=a%2Bb%26c");
    }

    @Test
    void readsTheTokenFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        FeedSettings s = FeedSettings.from(
                config().token(null).tokenFile(file.toString()).build());
        assertThat(s.token()).isEqualTo(TOKEN);
    }

    @Test
    void missingTokenSaysWhatToSet() {
        assertThatThrownBy(() -> FeedSettings.from(config().token(null).build()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("FINNHUB_TOKEN")
                .hasMessageContaining("FINNHUB_TOKEN_FILE");
        assertThatThrownBy(() -> FeedSettings.from(config().token("   ").build()))
                .hasMessageContaining("No Finnhub API token");
    }

    @Test
    void badTokenFilesSayWhatIsWrongWithoutTheContent(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> FeedSettings.from(config().token(null)
                        .tokenFile(dir.resolve("nope").toString())
                        .build()))
                .hasMessageContaining("does not exist");
        Path empty = Files.writeString(dir.resolve("empty"), "  \n");
        assertThatThrownBy(() -> FeedSettings.from(
                        config().token(null).tokenFile(empty.toString()).build()))
                .hasMessageContaining("is empty");
        Path spaced = Files.writeString(dir.resolve("spaced"), "abc " + TOKEN);
        assertThatThrownBy(() -> FeedSettings.from(
                        config().token(null).tokenFile(spaced.toString()).build()))
                .hasMessageContaining("whitespace")
                .message()
                .doesNotContain(TOKEN);
    }

    @Test
    void badUrlsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() ->
                        FeedSettings.from(config().url("http://ws.finnhub.io").build()))
                .hasMessageContaining("ws:// or wss://");
        assertThatThrownBy(() -> FeedSettings.from(config().url("wss://").build()))
                .hasMessageContaining("FINNHUB_URL");
        assertThatThrownBy(() -> FeedSettings.from(
                        config().url("wss://ws.finnhub.io?token=" + TOKEN).build()))
                .hasMessageContaining("must not carry a query")
                .message()
                .doesNotContain(TOKEN);
        assertThatThrownBy(() -> FeedSettings.from(
                        config().url("wss://ws finnhub io/" + TOKEN).build()))
                .hasMessageContaining("not a valid URL")
                .message()
                .doesNotContain(TOKEN);
    }

    @Test
    void symbolListMustBeNonEmptyWellFormedUniqueAndAtMostFifty() {
        assertThatThrownBy(() ->
                        FeedSettings.from(config().symbols(List.of(" ", "")).build()))
                .hasMessageContaining("FINNHUB_SYMBOLS")
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> FeedSettings.from(config().symbols(List.of("BINANCE:BTCUSDT", "BAD SYMBOL"))
                        .build()))
                .hasMessageContaining("malformed symbol 'BAD SYMBOL'");
        assertThatThrownBy(() -> FeedSettings.from(
                        config().symbols(List.of("AAPL", "AAPL")).build()))
                .hasMessageContaining("twice");
        List<String> fiftyOne = new ArrayList<>();
        IntStream.range(0, 51).forEach(i -> fiftyOne.add("SYM" + i));
        assertThatThrownBy(() -> FeedSettings.from(config().symbols(fiftyOne).build()))
                .hasMessageContaining("51 symbols")
                .hasMessageContaining("at most 50");
        assertThat(FeedSettings.from(config().symbols(fiftyOne.subList(0, 50)).build())
                        .symbols())
                .hasSize(50);
    }

    @Test
    void backoffAndTimeoutsMustMakeSense() {
        assertThatThrownBy(() -> FeedSettings.from(config().backoff(Duration.ofSeconds(10), Duration.ofSeconds(1))
                        .build()))
                .hasMessageContaining("max-backoff");
        assertThatThrownBy(() -> FeedSettings.from(config().jitter(2).build())).hasMessageContaining("jitter");
        assertThatThrownBy(() ->
                        FeedSettings.from(config().idleTimeout(Duration.ZERO).build()))
                .hasMessageContaining("idle-timeout");
    }

    static Builder config() {
        return new Builder();
    }

    /** A hand-written {@link FeedConfig}, so that validation is tested without starting Quarkus. */
    static final class Builder {
        String url = "wss://ws.finnhub.io";
        String token = TOKEN;
        String tokenFile;
        List<String> symbols = List.of("BINANCE:BTCUSDT", " AAPL ");
        Duration initial = Duration.ofMillis(500);
        Duration max = Duration.ofSeconds(30);
        double jitter = 0.5;
        Duration idle = Duration.ofSeconds(150);

        Builder url(String v) {
            url = v;
            return this;
        }

        Builder token(String v) {
            token = v;
            return this;
        }

        Builder tokenFile(String v) {
            tokenFile = v;
            return this;
        }

        Builder symbols(List<String> v) {
            symbols = v;
            return this;
        }

        Builder backoff(Duration i, Duration m) {
            initial = i;
            max = m;
            return this;
        }

        Builder jitter(double v) {
            jitter = v;
            return this;
        }

        Builder idleTimeout(Duration v) {
            idle = v;
            return this;
        }

        FeedConfig build() {
            return new FeedConfig() {
                public String url() {
                    return url;
                }

                public Optional<String> token() {
                    return Optional.ofNullable(token);
                }

                public Optional<String> tokenFile() {
                    return Optional.ofNullable(tokenFile);
                }

                public List<String> symbols() {
                    return symbols;
                }

                public Reconnect reconnect() {
                    return new Reconnect() {
                        public Duration initialBackoff() {
                            return initial;
                        }

                        public Duration maxBackoff() {
                            return max;
                        }

                        public double jitter() {
                            return jitter;
                        }
                    };
                }

                public Watchdog watchdog() {
                    return () -> idle;
                }

                public int maxMessageBytes() {
                    return 1 << 20;
                }

                public Duration connectTimeout() {
                    return Duration.ofSeconds(5);
                }

                public Duration maxFutureSkew() {
                    return Duration.ofHours(1);
                }
            };
        }
    }
}
