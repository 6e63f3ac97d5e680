package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DecimalTextTest {

    @Test
    void writesPlainDecimalsWithoutTrailingZeros() {
        assertThat(text(9_712_345, 2)).isEqualTo("97123.45");
        assertThat(text(9_712_340, 2)).isEqualTo("97123.4");
        assertThat(text(9_712_300, 2)).isEqualTo("97123");
        assertThat(text(1_230_000, 8)).isEqualTo("0.0123");
        assertThat(text(5, 8)).isEqualTo("0.00000005");
        assertThat(text(0, 8)).isEqualTo("0");
        assertThat(text(-150, 2)).isEqualTo("-1.5");
        assertThat(text(42, 0)).isEqualTo("42");
    }

    @Test
    void aJsonParserReadsBackExactlyTheRecordedDouble() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            int scale = random.nextInt(DecimalText.MAX_SCALE + 1);
            long units = random.nextLong(1, 1L << 50);
            assertThat(Double.parseDouble(text(units, scale))).isEqualTo(DecimalText.toDouble(units, scale));
        }
    }

    private static String text(long units, int scale) {
        StringBuilder out = new StringBuilder();
        DecimalText.append(out, units, scale);
        return out.toString();
    }
}
