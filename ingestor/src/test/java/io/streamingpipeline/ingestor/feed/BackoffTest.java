package io.streamingpipeline.ingestor.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapWithoutJitter() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 0, () -> 0.9);
        assertThat(b.delay(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(1000));
        assertThat(b.delay(5)).isEqualTo(Duration.ofMillis(16000));
        assertThat(b.delay(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(30));
        assertThat(b.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterSpreadsEachDelayWithinItsShare() {
        Backoff low = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0.5, () -> 0.0);
        Backoff high = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0.5, () -> 1.0);
        assertThat(low.delay(2)).isEqualTo(Duration.ofMillis(2000));
        assertThat(high.delay(2)).isEqualTo(Duration.ofMillis(4000));
        assertThat(low.delay(10)).isEqualTo(Duration.ofMillis(4000));
        assertThat(high.delay(10)).isEqualTo(Duration.ofMillis(8000));
    }

    @Test
    void neverWaitsZero() {
        Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1.0, () -> 0.0);
        assertThat(b.delay(0)).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
