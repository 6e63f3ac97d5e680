package io.streamingpipeline.spark;

import static io.streamingpipeline.spark.TestTrades.KAFKA_TIME;
import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.tradeWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.spark.TradeRecordCheck.Checked;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser's own edge cases; the rules themselves are covered through Spark in {@link TradeParsingTest}. */
class TradeRecordCheckTest {

    private static Checked check(String json) {
        return TradeRecordCheck.check(json.getBytes(StandardCharsets.UTF_8), KAFKA_TIME, Duration.ofHours(1));
    }

    @Test
    void aValidTradeHasEveryFieldAndItsDay() {
        Checked t = check(tradeWith("id", "\"019ab2d4-5c1e-7a3b-8c4d-0123456789ab\""));
        assertThat(t.rejectReason()).isNull();
        assertThat(t.id()).isEqualTo("019ab2d4-5c1e-7a3b-8c4d-0123456789ab");
        assertThat(t.symbol()).isEqualTo("BINANCE:BTCUSDT");
        assertThat(t.price()).isEqualTo(97000.5);
        assertThat(t.volume()).isEqualTo(0.25);
        assertThat(t.timestampUnix()).isEqualTo(T0);
        assertThat((String[]) t.value(TradeField.CONDITIONS)).containsExactly("1", "12");
        assertThat(t.value(TradeField.INGESTED_AT)).isEqualTo(T0 + 50);
        assertThat(t.day()).isEqualTo("2025-11-24");
    }

    @Test
    void unknownFieldsOfAnyShapeAreSkipped() {
        String json = tradeWith("symbol", "\"BINANCE:ETHUSDT\"")
                .replace("{", "{\"extra\":{\"nested\":[1,{\"symbol\":\"WRONG\"}],\"price\":-1},\"more\":[[]],");
        Checked t = check(json);
        assertThat(t.rejectReason()).isNull();
        assertThat(t.symbol()).isEqualTo("BINANCE:ETHUSDT");
        assertThat(t.price()).isEqualTo(97000.5);
    }

    @Test
    void aStringFieldGivenAnotherJsonValueIsRejectedByItsRule() {
        Checked t = check(tradeWith("symbol", "{\"a\": [1, 2]}"));
        assertThat(t.rejectReason()).isEqualTo("missing_symbol");
        assertThat(t.rejectDetail()).isEqualTo("\"symbol\" must be a string, was an object");
        assertThat(t.symbol()).isNull();
        assertThat(check(tradeWith("conditions", "[1, \"2\", null]")).rejectReason())
                .isEqualTo("invalid_conditions");
        assertThat(check(tradeWith("id", "\"019AB2D4-5C1E-7A3B-8C4D-0123456789AB\""))
                        .rejectReason())
                .isEqualTo("invalid_id");
    }

    @Test
    void nestingDeeperThanJacksonsLimitIsMalformedAndShallowNestingIsTheFieldsType() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(check(tradeWith("symbol", deep)).rejectReason()).isEqualTo("malformed_json");
        assertThat(check(tradeWith("conditions", "null").replace("{", "{\"venue\":" + deep + ","))
                        .rejectReason())
                .isEqualTo("malformed_json");
        assertThat(check(tradeWith("symbol", "[".repeat(500) + "]".repeat(500))).rejectReason())
                .isEqualTo("missing_symbol");
    }

    @Test
    void aPriceReadsAsTheJdkReadsItsText() {
        // FastDoubleParser must round as Double.parseDouble: the same text stores the same double, whoever reads it
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        java.util.List<String> texts = new java.util.ArrayList<>(java.util.List.of(
                "2.2250738585072011e-308", // the JDK's old endless loop, just below the smallest normal double
                "4.9e-324",
                "1.7976931348623157e308",
                "0.1000000000000000055511151231257827021181583404541015625",
                "9007199254740993", // 2^53 + 1: halfway, rounds to even
                "97000.50000000000000000000000000000000000000001",
                "1e23",
                "8.41e21",
                "123456789012345678901234567890.123456789e-10"));
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE);
            if (Double.isFinite(d) && d > 0) {
                texts.add(Double.toString(d));
            }
            // up to 25 significant digits: past a double's 17, where rounding is hard
            texts.add(random.nextLong(1, Long.MAX_VALUE) + "." + random.nextLong(0, 1_000_000_000_000L) + "e"
                    + random.nextInt(-30, 30));
        }
        for (String text : texts) {
            // a price out of the rule's range is rejected, and still read (a rejected record keeps its typed fields)
            Checked t = check(tradeWith("price", text));
            assertThat(t.price()).as(text).isNotNull();
            assertThat(Double.doubleToLongBits(t.price()))
                    .as(text)
                    .isEqualTo(Double.doubleToLongBits(Double.parseDouble(text)));
        }
    }

    @Test
    void anIntegerBeyondALongIsMistyped() {
        Checked t = check(tradeWith("timestamp_unix", "99999999999999999999"));
        assertThat(t.rejectReason()).isEqualTo("invalid_timestamp");
        assertThat(t.timestampUnix()).isNull();
        assertThat(check(tradeWith("ingested_at", "99999999999999999999")).rejectReason())
                .isEqualTo("malformed_json");
    }

    @Test
    void theDayOfATradeBeforeMidnightUtcIsThatDay() {
        long lastMilli = 1_764_028_799_999L; // 2025-11-24T23:59:59.999Z
        Checked t = TradeRecordCheck.check(
                tradeWith("timestamp_unix", Long.toString(lastMilli)).getBytes(StandardCharsets.UTF_8),
                lastMilli,
                Duration.ZERO);
        assertThat(t.day()).isEqualTo("2025-11-24");
        assertThat(TradeRecordCheck.check(
                                tradeWith("timestamp_unix", Long.toString(lastMilli + 1))
                                        .getBytes(StandardCharsets.UTF_8),
                                lastMilli + 1,
                                Duration.ZERO)
                        .day())
                .isEqualTo("2025-11-25");
        // and back: a record of the day before, after one of the next day
        assertThat(t.day())
                .isEqualTo(TradeRecordCheck.check(
                                tradeWith("timestamp_unix", Long.toString(lastMilli))
                                        .getBytes(StandardCharsets.UTF_8),
                                lastMilli,
                                Duration.ZERO)
                        .day());
        assertThat(TradeRecordCheck.check(
                                tradeWith("timestamp_unix", Long.toString(lastMilli - 86_400_000L * 400))
                                        .getBytes(StandardCharsets.UTF_8),
                                lastMilli,
                                Duration.ZERO)
                        .day())
                .isEqualTo("2024-10-20");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"symbol\":\"A\"} trailing",
                "{\"symbol\":\"A\"}{}",
                "{\"symbol\":'A'}",
                "{symbol:\"A\"}",
                "{\"symbol\":\"A\",}",
                "\u0000",
                "null",
                "42",
                "{\"symbol\":\"A\",\"symbol\":\"B\"}"
            })
    void anythingButOneJsonObjectIsMalformed(String json) {
        Checked t = check(json);
        assertThat(t.rejectReason()).as(json).isEqualTo("malformed_json");
        assertThat(t.rejectDetail()).isEqualTo("not one JSON object with each field once");
    }

    @Test
    void aSymbolIsMeasuredInCharactersNotUtf16Units() {
        String sixtyFourEmoji = "\uD83D\uDE80".repeat(64);
        assertThat(check(tradeWith("symbol", "\"" + sixtyFourEmoji + "\"")).rejectReason())
                .isNull();
        assertThat(check(tradeWith("symbol", "\"" + sixtyFourEmoji + "A\"")).rejectReason())
                .isEqualTo("missing_symbol");
    }

    @Test
    void aRejectedRecordKeepsTheFieldsThatCouldBeRead() {
        Checked t = check(tradeWith("price", "\"cheap\""));
        assertThat(t.rejectReason()).isEqualTo("invalid_price");
        assertThat(t.rejectDetail()).isEqualTo("\"price\" must be a number > 0 and <= 1.0E9, was \"cheap\"");
        assertThat(t.symbol()).isEqualTo("BINANCE:BTCUSDT");
        assertThat(t.day()).isNull();
    }
}
