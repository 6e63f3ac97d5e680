package io.streamingpipeline.localstack.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    /** Micrometer's Prometheus text: cumulative buckets, with a trailing comma in the labels. */
    static PrometheusText scrape(double le1, double le2, double le4, double inf) {
        return new PrometheusText("""
                # HELP x_seconds the help
                # TYPE x_seconds histogram
                x_seconds_bucket{le="0.001",} %s
                x_seconds_bucket{le="0.002",} %s
                x_seconds_bucket{le="0.004",} %s
                x_seconds_bucket{le="+Inf",} %s
                x_seconds_count %s
                x_seconds_sum 1.0
                other_bucket{le="0.001",} 1000.0
                """.formatted(le1, le2, le4, inf, inf));
    }

    @Test
    void aQuantileOfTheObservationsBetweenTwoScrapesInterpolatedInItsBucket() {
        PrometheusText before = scrape(10, 10, 10, 10);
        // between the scrapes: 100 observations, 50 up to 1 ms, 40 in (1, 2] ms, 10 in (2, 4] ms
        PrometheusText after = scrape(60, 100, 110, 110);
        assertThat(after.quantileSince(before, "x_seconds", 0.5)).isCloseTo(0.001, within(1e-12));
        assertThat(after.quantileSince(before, "x_seconds", 0.7)).isCloseTo(0.0015, within(1e-12));
        assertThat(after.quantileSince(before, "x_seconds", 0.99)).isCloseTo(0.0038, within(1e-12));
        assertThat(after.quantileSince(before, "x_seconds", 0.25)).isCloseTo(0.0005, within(1e-12));
    }

    @Test
    void aQuantileInTheInfiniteBucketIsTheHighestBound() {
        PrometheusText after = scrape(0, 0, 90, 100);
        assertThat(after.quantileSince(new PrometheusText(""), "x_seconds", 0.99))
                .isEqualTo(0.004);
    }

    @Test
    void nothingObservedInBetweenIsNaN() {
        PrometheusText same = scrape(5, 6, 7, 8);
        assertThat(same.quantileSince(same, "x_seconds", 0.99)).isNaN();
        assertThat(same.quantileSince(same, "absent_seconds", 0.99)).isNaN();
    }
}
