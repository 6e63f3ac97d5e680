package io.streamingpipeline.spark.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SymbolCloseTest {

    private static final LocalDate DAY = LocalDate.of(2026, 1, 15);
    private static final long M0 = Instant.parse("2026-01-15T12:03:00Z").toEpochMilli();
    private static final long M1 = M0 + 60_000;

    @Test
    void allThreeEqualIsOk() {
        SymbolClose c = SymbolClose.compare(
                DAY, "X:A", 5, true, Map.of(M0, 2L, M1, 3L), Map.of(M0, 2L, M1, 3L), Map.of("invalid_price", 1L));
        assertThat(c.ok()).isTrue();
        assertThat(c.status()).isEqualTo("ok");
        assertThat(c.detail()).isNull();
        assertThat(c.line()).startsWith("OK ").contains("Kafka 5 trades, Cassandra 5 rows, candles 5 trades");
    }

    @Test
    void aMissingRowAMergedTwiceCandleAndAMissingMinuteAreNamed() {
        SymbolClose deleted =
                SymbolClose.compare(DAY, "X:A", 5, true, Map.of(M0, 2L, M1, 2L), Map.of(M0, 2L, M1, 3L), Map.of());
        assertThat(deleted.ok()).isFalse();
        assertThat(deleted.detail())
                .contains(
                        "1 trades of Kafka missing in Cassandra",
                        "candles count 5 trades for 4 rows",
                        "12:04 candle counts 3 trades, 2 rows");
        SymbolClose doubled =
                SymbolClose.compare(DAY, "X:B", 5, true, Map.of(M0, 2L, M1, 3L), Map.of(M0, 4L, M1, 3L), Map.of());
        assertThat(doubled.detail())
                .isEqualTo("candles count 7 trades for 5 rows, minutes: 12:03 candle counts 4 trades, 2 rows");
        SymbolClose missing =
                SymbolClose.compare(DAY, "X:C", 5, true, Map.of(M0, 2L, M1, 3L), Map.of(M0, 2L), Map.of());
        assertThat(missing.line()).startsWith("MISMATCH 2026-01-15 X:C:").contains("12:04 has no candle (3 rows)");
    }

    @Test
    void withoutTheWholeDayInKafkaItsCountIsALowerBound() {
        assertThat(SymbolClose.compare(DAY, "X:A", 3, false, Map.of(M0, 5L), Map.of(M0, 5L), Map.of())
                        .ok())
                .isTrue();
        assertThat(SymbolClose.compare(DAY, "X:A", 6, false, Map.of(M0, 5L), Map.of(M0, 5L), Map.of())
                        .ok())
                .isFalse();
    }
}
