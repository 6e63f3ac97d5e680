package io.streamingpipeline.ingestor.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Each value as Jackson's generator writes it: its shortest decimal of a double, its escapes, the JDK's digits. */
class JsonBytesTest {

    private final JsonBytes out = new JsonBytes();

    private String written(Runnable write) {
        out.reset();
        write.run();
        return new String(out.bytes(), StandardCharsets.UTF_8);
    }

    private void assertDouble(double d) {
        assertThat(written(() -> out.number(d)))
                .as("%s (bits %x)", d, Double.doubleToRawLongBits(d))
                .isEqualTo(Double.isFinite(d) ? NumberOutput.toString(d, true) : "\"" + d + "\"");
    }

    /** Prices and volumes as feeds send them: decimals of up to 12 fractional digits, in and around the short path. */
    @Test
    void decimalsAreTheShortestDecimalAsJacksonWritesIt() {
        SplittableRandom random = new SplittableRandom(20261205);
        for (int i = 0; i < 400_000; i++) {
            int scale = random.nextInt(0, 13);
            long unscaled = random.nextLong(1, random.nextBoolean() ? 1_000_000L : 100_000_000_000_000L);
            assertDouble(new BigDecimal(unscaled).movePointLeft(scale).doubleValue());
        }
    }

    /** The decimals a feed sends take the short path; what lies outside its range does not. */
    @Test
    void feedDecimalsTakeTheShortPath() {
        for (double d :
                new double[] {97_123.45, 0.012_3, 0.001, 150, 1.5, 0.000_123_45 * 10, 9_999_999.99, 42.123_456_789}) {
            out.reset();
            assertThat(out.shortDecimal(d)).as("%s", d).isTrue();
        }
        for (double d : new double[] {1e7, 0.000_999, 0.0, -1.5, Double.NaN, 0.1 + 0.2, Math.PI}) {
            out.reset();
            assertThat(out.shortDecimal(d)).as("%s", d).isFalse();
            assertThat(out.bytes()).isEmpty();
        }
    }

    @Test
    void anyDoubleIsTheShortestDecimalAsJacksonWritesIt() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            assertDouble(Double.longBitsToDouble(random.nextLong()));
            // the plain-notation range, where the short path may answer
            assertDouble(Math.scalb(1 + random.nextDouble(), random.nextInt(-11, 24)));
        }
    }

    @Test
    void edgesOfTheShortPath() {
        List<Double> edges = new ArrayList<>(List.of(
                0.0,
                -0.0,
                1e-3,
                1e7,
                0.1 + 0.2,
                1.0,
                150.0,
                0.5,
                5e-324,
                Double.MIN_NORMAL,
                Double.MAX_VALUE,
                9_999_999.999_999_9,
                8_388_608.0,
                8_388_607.5,
                0.001_000_000_1,
                97_123.45,
                0.012_3,
                1e-9,
                123_456.789));
        for (double d : List.copyOf(edges)) {
            edges.add(Math.nextUp(d));
            edges.add(Math.nextDown(d));
            edges.add(-d);
        }
        for (double d : edges) {
            assertDouble(d);
        }
    }

    @Test
    void nanAndTheInfinitiesAreQuotedAsTheGeneratorWritesThem() {
        assertThat(written(() -> out.number(Double.NaN))).isEqualTo("\"NaN\"");
        assertThat(written(() -> out.number(Double.POSITIVE_INFINITY))).isEqualTo("\"Infinity\"");
        assertThat(written(() -> out.number(Double.NEGATIVE_INFINITY))).isEqualTo("\"-Infinity\"");
    }

    @Test
    void longsAreTheirDecimalDigits() {
        SplittableRandom random = new SplittableRandom(3);
        List<Long> values =
                new ArrayList<>(List.of(0L, 1L, -1L, 9L, 10L, Long.MAX_VALUE, Long.MIN_VALUE, 1_764_000_000_123L));
        for (int i = 0; i < 100_000; i++) {
            values.add(random.nextLong() >> random.nextInt(64));
        }
        for (long v : values) {
            assertThat(written(() -> out.number(v))).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void uuidsAreQuotedAsUuidToString() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            UUID id = new UUID(random.nextLong(), random.nextLong());
            assertThat(written(() -> out.uuid(id))).isEqualTo("\"" + id + "\"");
        }
        assertThat(written(() -> out.uuid(new UUID(0, 0)))).isEqualTo("\"00000000-0000-0000-0000-000000000000\"");
    }

    @Test
    void stringsAreEscapedAsJacksonEscapesThem() {
        SplittableRandom random = new SplittableRandom(5);
        String alphabet = "aZ09:_/ \"\\\t\n\u0000\u001f\u007f\u0080\u00e9\u20ac\ud83d\ude00<>&'";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(0, 12); n > 0; n--) {
                int at = random.nextInt(alphabet.length());
                // a surrogate pair stays whole
                if (Character.isHighSurrogate(alphabet.charAt(at))) {
                    text.append(alphabet, at, at + 2);
                } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                    text.append(alphabet.charAt(at));
                }
            }
            String s = text.toString();
            assertThat(written(() -> out.quoted(s)))
                    .isEqualTo("\"" + new String(JsonStringEncoder.getInstance().quoteAsUTF8(s), StandardCharsets.UTF_8)
                            + "\"");
        }
    }

    @Test
    void theBufferGrowsForALongRecordAndIsWholeForTheNext() {
        for (String text : List.of("X".repeat(1_000), "Y".repeat(100_000), "Z")) {
            assertThat(written(() -> {
                        out.quoted(text);
                        out.number(1.5);
                    }))
                    .isEqualTo("\"" + text + "\"1.5");
        }
    }
}
