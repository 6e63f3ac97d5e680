package io.streamingpipeline.ingestor.publish;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * A JSON text as it is written, as UTF-8 bytes: values written the way Jackson's generator writes them (its string
 * escapes, its shortest decimal of a double), without the objects a generator makes per value. One is reused per
 * thread; {@link #bytes()} copies out what was written.
 */
final class JsonBytes {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** 10^k, exact as doubles, for the short decimals {@link #shortDecimal} writes. */
    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    /** 10^k as longs, k = 0..18. */
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int k = 1; k < POWERS_OF_TEN.length; k++) {
            POWERS_OF_TEN[k] = POWERS_OF_TEN[k - 1] * 10;
        }
    }

    private static final int INITIAL = 256;
    /** A buffer grown past this for a large record is not kept for the next ones. */
    private static final int KEPT = 64 * 1024;

    private byte[] buf = new byte[INITIAL];
    private int len;

    void reset() {
        len = 0;
        if (buf.length > KEPT) {
            buf = new byte[INITIAL];
        }
    }

    byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }

    void write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    void write(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    /** A JSON string: quoted, escaped as Jackson's generator escapes, UTF-8. */
    void quoted(String text) {
        int n = text.length();
        ensure(n + 2);
        int start = len;
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            // printable ASCII that needs no escape; anything else is Jackson's to encode
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                len = start;
                write('"');
                write(JsonStringEncoder.getInstance().quoteAsUTF8(text));
                write('"');
                return;
            }
            buf[len++] = (byte) c;
        }
        buf[len++] = '"';
    }

    /** As a quoted string: the 36 characters of {@link UUID#toString()}. */
    void uuid(UUID id) {
        ensure(38);
        buf[len++] = '"';
        hex(id.getMostSignificantBits() >>> 32, 8);
        buf[len++] = '-';
        hex(id.getMostSignificantBits() >>> 16, 4);
        buf[len++] = '-';
        hex(id.getMostSignificantBits(), 4);
        buf[len++] = '-';
        hex(id.getLeastSignificantBits() >>> 48, 4);
        buf[len++] = '-';
        hex(id.getLeastSignificantBits(), 12);
        buf[len++] = '"';
    }

    private void hex(long bits, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            buf[len + i] = HEX[(int) (bits & 0xf)];
            bits >>>= 4;
        }
        len += digits;
    }

    /** The decimal digits of {@code v}, as {@link Long#toString(long)} writes them. */
    void number(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                ascii(Long.toString(v));
                return;
            }
            write('-');
            v = -v;
        }
        int n = digitCount(v);
        ensure(n);
        len += n;
        digitsEndingAt(v, len);
    }

    /**
     * The shortest decimal that reads back as {@code d}, as Jackson's generator writes it ({@link
     * NumberOutput#toString(double, boolean)}: {@code Double.toString}'s format); NaN and the infinities as the
     * generator writes them, quoted.
     */
    void number(double d) {
        if (!shortDecimal(d)) {
            if (Double.isFinite(d)) {
                ascii(NumberOutput.toString(d, true));
            } else {
                write('"');
                ascii(Double.toString(d));
                write('"');
            }
        }
    }

    /**
     * Writes {@code d} when it is a decimal of at most 9 fractional digits between 10^-3 and 10^7, the plain notation
     * range, which a feed's prices and volumes are; false (nothing written) for any other double.
     *
     * <p>For the fewest fractional digits k that some decimal m·10^-k of the double's rounding interval has, that
     * decimal is the shortest of the interval and the only one of its length, so it is the one the shortest-decimal
     * algorithm (Schubfach) picks. m·10^-k is of the interval exactly when {@code m / 10^k == d}: both are exact
     * doubles and the division rounds correctly, as parsing the decimal does. While {@code ulp(d)·10^k < 0.01},
     * {@code Math.round(d·10^k)} is m whenever there is such an m, since d·10^k lies within half an ulp·10^k of it
     * and the product's own rounding error is smaller still.
     */
    boolean shortDecimal(double d) {
        if (!(d >= 1e-3 && d < 1e7)) {
            return false;
        }
        double ulp = Math.ulp(d);
        for (int k = 0; k < POW10.length && ulp * POW10[k] < 0.01; k++) {
            double product = d * POW10[k];
            long m = Math.round(product);
            // a cheap test first: with such an m, d·10^k is within 1.5 ulp·10^k of it, and so is the product
            if (Math.abs(product - m) <= 2 * ulp * POW10[k] && m / POW10[k] == d) {
                decimal(m, k);
                return true;
            }
        }
        return false;
    }

    /** {@code m}'s digits (m &ge; 0) with a point before the last {@code fraction} of them, or {@code .0} after all. */
    private void decimal(long m, int fraction) {
        int whole = Math.max(digitCount(m) - fraction, 1);
        int total = whole + 1 + Math.max(fraction, 1);
        ensure(total);
        int pos = len + total;
        len = pos;
        if (fraction == 0) {
            buf[--pos] = '0';
        }
        for (int i = 0; i < fraction; i++) {
            buf[--pos] = (byte) ('0' + m % 10);
            m /= 10;
        }
        buf[--pos] = '.';
        digitsEndingAt(m, pos);
    }

    /** Writes the decimal digits of {@code v} (v &ge; 0) so that the last one is just before {@code end}. */
    private void digitsEndingAt(long v, int end) {
        int pos = end;
        do {
            buf[--pos] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
    }

    private static int digitCount(long v) {
        int n = 1;
        while (n < POWERS_OF_TEN.length && v >= POWERS_OF_TEN[n]) {
            n++;
        }
        return n;
    }

    /** Text known to be ASCII (digits, signs, exponents). */
    void ascii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) text.charAt(i);
        }
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
