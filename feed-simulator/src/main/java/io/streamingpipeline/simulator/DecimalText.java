package io.streamingpipeline.simulator;

/**
 * Exact decimal numbers kept as {@code units * 10^-scale} and written as JSON numbers without going through
 * {@code double} formatting: fast, never in exponent notation, trailing zeros dropped as real venues do
 * ({@code 97123.4}, {@code 97123}, {@code 0.0123}).
 */
final class DecimalText {

    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
    };

    static final int MAX_SCALE = POWERS_OF_TEN.length - 1;

    private DecimalText() {}

    static void append(StringBuilder out, long units, int scale) {
        if (units < 0) {
            out.append('-');
            units = -units;
        }
        if (scale == 0) {
            out.append(units);
            return;
        }
        long power = POWERS_OF_TEN[scale];
        out.append(units / power);
        long fraction = units % power;
        if (fraction == 0) {
            return;
        }
        int digits = scale;
        while (fraction % 10 == 0) {
            fraction /= 10;
            digits--;
        }
        out.append('.');
        for (int i = digits - 1; i > 0 && fraction < POWERS_OF_TEN[i]; i--) {
            out.append('0');
        }
        out.append(fraction);
    }

    /** The double a JSON parser reads from {@link #append}'s text (both are correctly rounded). */
    static double toDouble(long units, int scale) {
        return units / (double) POWERS_OF_TEN[scale];
    }
}
