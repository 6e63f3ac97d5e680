package io.streamingpipeline.query.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The feed gaps read from Prometheus text written by the same Micrometer registry the ingestor exports with, for
 * meters named as the ingestor's {@code feed/FeedGaps} names them.
 */
class FeedGapsTest {

    @Test
    void readsTheIngestorsFeedGapMeters() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (String reason : new String[] {"starting", "closed", "connect_failed", "idle", "too_large"}) {
            Counter counter = Counter.builder("ingestor.feed.gap.seconds")
                    .tag("reason", reason)
                    .register(registry);
            counter.increment(reason.equals("idle") ? 42.5 : reason.equals("starting") ? 1.25 : 0);
        }
        AtomicReference<Double> open = new AtomicReference<>(7.0);
        Gauge.builder("ingestor.feed.disconnected.seconds", open, AtomicReference::get)
                .register(registry);
        Gauge.builder("ingestor.feed.symbol.last.trade.age.seconds", () -> 95.0)
                .tag("symbol", "BINANCE:ETHUSDT")
                .register(registry);
        Gauge.builder("ingestor.feed.symbol.last.trade.age.seconds", () -> 0.5)
                .tag("symbol", "BINANCE:BTCUSDT")
                .register(registry);
        String text = registry.scrape();

        FeedGaps gaps = FeedGaps.read(text);

        assertThat(gaps.gapSecondsTotal()).isEqualTo(43.75);
        assertThat(gaps.gapSeconds())
                .containsExactly(
                        Map.entry("closed", 0.0),
                        Map.entry("connect_failed", 0.0),
                        Map.entry("idle", 42.5),
                        Map.entry("starting", 1.25),
                        Map.entry("too_large", 0.0));
        assertThat(gaps.disconnectedSeconds()).isEqualTo(7.0);
        assertThat(gaps.symbolLastTradeAgeSeconds())
                .containsExactly(Map.entry("BINANCE:BTCUSDT", 0.5), Map.entry("BINANCE:ETHUSDT", 95.0));
    }

    @Test
    void anIngestorWithoutFeedGapMetersHasNone() {
        assertThat(FeedGaps.read(
                        "# TYPE ingestor_trades_published_total counter\n" + "ingestor_trades_published_total 12.0\n"))
                .isNull();
    }

    @Test
    void labelsAreReadWithEscapesAndLongerNamesAreOtherMetrics() {
        String text = "# HELP m_total a counter\n"
                + "m_total{a=\"x\",b=\"q\\\"uo}te\",} 1.5\n"
                + "m_total{b=\"q\\\"uo}te\",a=\"y\"} 2\n"
                + "m_total{a=\"x\"} 0.5 1700000000000\n"
                + "m_total_created{a=\"x\"} 99\n"
                + "m_totalish 1000\n"
                + "m_total{a=\"broken} 3\n"
                + "m_total 4\n";
        assertThat(PrometheusText.sumByLabel(text, "m_total", "a"))
                .containsExactly(Map.entry("x", 2.0), Map.entry("y", 2.0));
        assertThat(PrometheusText.sumByLabel(text, "m_total", "b")).containsExactly(Map.entry("q\"uo}te", 3.5));
        assertThat(PrometheusText.sum(text, "m_total")).hasValue(8.0);
    }
}
