package io.streamingpipeline.query.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CandleIntervalTest {

    private static long t(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void absentMeansOneMinute() {
        assertThat(CandleInterval.parse(null)).isEqualTo(CandleInterval.ONE_MINUTE);
        assertThat(CandleInterval.parse(" ")).isEqualTo(CandleInterval.ONE_MINUTE);
        assertThat(CandleInterval.parse("1h")).isEqualTo(CandleInterval.ONE_HOUR);
        assertThat(CandleInterval.parse(" 1D ")).isEqualTo(CandleInterval.ONE_DAY);
    }

    @Test
    void anotherIntervalNamesTheParameterAndTheChoices() {
        assertThatThrownBy(() -> CandleInterval.parse("5m\n"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("interval '5m' is not one of 1m, 1h, 1d (1-minute, hourly or daily candles)")
                .extracting(e -> ((InvalidRequestException) e).parameter())
                .isEqualTo("interval");
    }

    @Test
    void eachIntervalReadsTheContractsTableAndKeys() {
        assertThat(CandleInterval.ONE_MINUTE.table()).isEqualTo("crypto_candles_1m");
        assertThat(CandleInterval.ONE_HOUR.table()).isEqualTo("crypto_candles_1h");
        assertThat(CandleInterval.ONE_HOUR.bucketColumn()).isEqualTo("month");
        assertThat(CandleInterval.ONE_HOUR.startColumn()).isEqualTo("hour_start");
        assertThat(CandleInterval.ONE_DAY.table()).isEqualTo("crypto_candles_1d");
        assertThat(CandleInterval.ONE_DAY.bucketColumn()).isEqualTo("year");
        assertThat(CandleInterval.ONE_DAY.startColumn()).isEqualTo("day_start");
    }

    @Test
    void bucketsAreTheUtcPartitionsTheRangeTouches() {
        TimeRange acrossMonths = new TimeRange(t("2024-02-29T22:00:00Z"), t("2024-03-01T01:00:00Z"));
        assertThat(CandleInterval.ONE_HOUR.bucketsOldestFirst(acrossMonths)).containsExactly("2024-02", "2024-03");
        assertThat(CandleInterval.ONE_MINUTE.bucketsOldestFirst(acrossMonths))
                .containsExactly("2024-02-29", "2024-03-01");
        // to is exclusive: a range ending at midnight of a new month or year does not touch it
        TimeRange toMonthStart = new TimeRange(t("2024-01-20T00:00:00Z"), t("2024-03-01T00:00:00Z"));
        assertThat(CandleInterval.ONE_HOUR.bucketsOldestFirst(toMonthStart)).containsExactly("2024-01", "2024-02");
        TimeRange threeYears = new TimeRange(t("2021-01-01T00:00:00Z"), t("2024-01-02T00:00:00Z"));
        assertThat(CandleInterval.ONE_DAY.bucketsOldestFirst(threeYears))
                .containsExactly("2021", "2022", "2023", "2024");
        TimeRange toYearStart = new TimeRange(t("2023-12-01T00:00:00Z"), t("2024-01-01T00:00:00Z"));
        assertThat(CandleInterval.ONE_DAY.bucketsOldestFirst(toYearStart)).containsExactly("2023");
        TimeRange decemberToFebruary = new TimeRange(t("2023-12-31T23:00:00Z"), t("2024-02-01T00:00:01Z"));
        assertThat(CandleInterval.ONE_HOUR.bucketsOldestFirst(decemberToFebruary))
                .containsExactly("2023-12", "2024-01", "2024-02");
    }
}
