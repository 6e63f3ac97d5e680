package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.assertj.core.data.Percentage;

/** Exact comparisons of what the job wrote with what the test produced. */
final class PipelineAssertions {

    /** Relative tolerance of sums that Spark adds up in another order than the test (volume, VWAP). */
    static final double RELATIVE = 1e-9;

    private PipelineAssertions() {}

    /** Exactly one row per trade, every field of the contract equal (conditions: null and [] both read back as []). */
    static void assertTradesExactly(List<CassandraTables.TradeRow> rows, List<Trade> trades) {
        assertThat(rows)
                .extracting(CassandraTables.TradeRow::id)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(
                        trades.stream().map(Trade::id).toList());
        Map<UUID, CassandraTables.TradeRow> byId =
                rows.stream().collect(Collectors.toMap(CassandraTables.TradeRow::id, Function.identity()));
        for (Trade t : trades) {
            CassandraTables.TradeRow r = byId.get(t.id());
            String day = Instant.ofEpochMilli(t.timestampUnix())
                    .atOffset(ZoneOffset.UTC)
                    .toLocalDate()
                    .toString();
            assertThat(r.day()).as("day of trade %s", t).isEqualTo(day);
            for (TradeField field : TradeField.values()) {
                Object expected = t.value(field);
                if (expected == null && field.type() == TradeField.Type.TEXT_LIST) {
                    expected = List.of();
                }
                assertThat(r.trade().value(field))
                        .as("%s of trade %s", field.cqlName(), t)
                        .isEqualTo(expected);
            }
        }
    }

    /** The same candles; prices and counts exact, volume and VWAP within {@link #RELATIVE}. */
    static void assertCandles(List<CandleRow> actual, List<CandleRow> expected) {
        assertThat(actual)
                .extracting(ExpectedCandles::key)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(ExpectedCandles::key).toList());
        Map<String, CandleRow> byKey =
                actual.stream().collect(Collectors.toMap(ExpectedCandles::key, Function.identity()));
        for (CandleRow e : expected) {
            CandleRow a = byKey.get(ExpectedCandles.key(e));
            assertThat(a.day()).as("day of %s", ExpectedCandles.key(e)).isEqualTo(e.day());
            assertThat(a.open()).as("open of %s", ExpectedCandles.key(e)).isEqualTo(e.open());
            assertThat(a.high()).as("high of %s", ExpectedCandles.key(e)).isEqualTo(e.high());
            assertThat(a.low()).as("low of %s", ExpectedCandles.key(e)).isEqualTo(e.low());
            assertThat(a.close()).as("close of %s", ExpectedCandles.key(e)).isEqualTo(e.close());
            assertThat(a.tradeCount())
                    .as("trade_count of %s", ExpectedCandles.key(e))
                    .isEqualTo(e.tradeCount());
            assertRelative(a.volume(), e.volume(), "volume of " + ExpectedCandles.key(e));
            if (e.vwap() == null) {
                assertThat(a.vwap())
                        .as("vwap of %s (volume 0)", ExpectedCandles.key(e))
                        .isNull();
            } else {
                assertThat(a.vwap()).as("vwap of %s", ExpectedCandles.key(e)).isNotNull();
                assertRelative(a.vwap(), e.vwap(), "vwap of " + ExpectedCandles.key(e));
            }
        }
    }

    private static void assertRelative(double actual, double expected, String what) {
        if (expected == 0) {
            assertThat(actual).as(what).isCloseTo(0.0, within(1e-12));
        } else {
            assertThat(actual).as(what).isCloseTo(expected, Percentage.withPercentage(RELATIVE * 100));
        }
    }
}
