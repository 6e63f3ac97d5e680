package io.streamingpipeline.query.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeRangeTest {

    static final Instant NOW = Instant.parse("2024-03-02T00:30:00Z");

    @Test
    void defaultsAreNowAndTheDefaultRange() {
        TimeRange r = TimeRange.parse(null, "", Duration.ofHours(1), Duration.ofDays(7), NOW);
        assertThat(r.to()).isEqualTo(NOW.toEpochMilli());
        assertThat(r.from()).isEqualTo(NOW.minusSeconds(3600).toEpochMilli());
        assertThat(r.daysNewestFirst()).containsExactly("2024-03-02", "2024-03-01");
    }

    @Test
    void acceptsMillisInstantsOffsetsAndDates() {
        TimeRange r = TimeRange.parse(
                "2024-03-01", "2024-03-01T12:00:00+01:00", Duration.ofHours(1), Duration.ofDays(7), NOW);
        assertThat(r.from()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z").toEpochMilli());
        assertThat(r.to()).isEqualTo(Instant.parse("2024-03-01T11:00:00Z").toEpochMilli());
        assertThat(TimeRange.parse("1709251200000", "1709251200001", Duration.ofHours(1), Duration.ofDays(7), NOW)
                        .daysOldestFirst())
                .containsExactly("2024-03-01");
    }

    @Test
    void daysStopBeforeAnExclusiveMidnight() {
        TimeRange r = TimeRange.parse(
                "2024-02-28T23:00:00Z", "2024-03-01T00:00:00Z", Duration.ofHours(1), Duration.ofDays(7), NOW);
        assertThat(r.daysOldestFirst()).containsExactly("2024-02-28", "2024-02-29");
        assertThat(TimeRange.day(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli()))
                .isEqualTo("2024-02-29");
    }

    @Test
    void refusesReversedWideAndGarbage() {
        assertThatThrownBy(
                        () -> TimeRange.parse("2024-03-02", "2024-03-01", Duration.ofHours(1), Duration.ofDays(7), NOW))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("must be before to");
        assertThatThrownBy(
                        () -> TimeRange.parse("2024-01-01", "2024-03-01", Duration.ofHours(1), Duration.ofDays(7), NOW))
                .hasMessageContaining("at most 7 days");
        assertThatThrownBy(() -> TimeRange.parse("noon", null, Duration.ofHours(1), Duration.ofDays(7), NOW))
                .hasMessageContaining("from 'noon' is not a time");
        assertThatThrownBy(() ->
                        TimeRange.parse("2024-03-01T25:00:00Z", null, Duration.ofHours(1), Duration.ofDays(7), NOW))
                .hasMessageContaining("is not a time");
        assertThatThrownBy(() -> TimeRange.parse("2024-03-03", null, Duration.ofHours(1), Duration.ofDays(7), NOW))
                .hasMessageContaining("in the future");
    }

    @Test
    void limitsAndSymbols() {
        assertThat(RequestArguments.limit(null, 100, 1000)).isEqualTo(100);
        assertThat(RequestArguments.limit(" 1000 ", 100, 1000)).isEqualTo(1000);
        assertThatThrownBy(() -> RequestArguments.limit("99999999999", 100, 1000))
                .hasMessageContaining("from 1 to 1000");
        assertThat(RequestArguments.symbol("OANDA:EUR_USD")).isEqualTo("OANDA:EUR_USD");
        assertThatThrownBy(() -> RequestArguments.symbol("")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void pageTokensRoundTripAndRejectForgeries() {
        PageToken token = new PageToken(1709251200123L, UUID.randomUUID());
        assertThat(PageToken.decode(token.encode())).isEqualTo(token);
        assertThatThrownBy(() -> PageToken.decode("djE6YWJjOmRlZg")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> PageToken.decode("%%%")).isInstanceOf(InvalidRequestException.class);
    }
}
