package io.streamingpipeline.contract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link DeadLetter} as the bytes of one Kafka record, bounded after encoding: the key at most
 * {@link DeadLetter#MAX_KEY_BYTES}, key and JSON value together at most {@link DeadLetter#MAX_RECORD_BYTES}, however
 * the raw text escapes (a control character takes 6 bytes in JSON, a replacement character 3). The raw text is cut
 * where the value would outgrow its share, and ends with {@link DeadLetter#TRUNCATED_MARK}; the detail is cut at
 * {@link DeadLetter#MAX_DETAIL_CHARS}. Written by hand rather than with Jackson so that every byte is counted before
 * it is written, and so that the contract stays free of a JSON library that the Spark job would have to shade.
 */
public final class DeadLetterJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] MARK = DeadLetter.TRUNCATED_MARK.getBytes(StandardCharsets.UTF_8);

    private DeadLetterJson() {}

    /** The key of a dead letter: the rejected record's key, its first {@link DeadLetter#MAX_KEY_BYTES} bytes if longer. */
    public static byte[] key(byte[] recordKey) {
        if (recordKey == null || recordKey.length <= DeadLetter.MAX_KEY_BYTES) {
            return recordKey;
        }
        return Arrays.copyOf(recordKey, DeadLetter.MAX_KEY_BYTES);
    }

    /**
     * The JSON value of a dead letter whose key is {@code keyBytes} long, with the contract's fields in order; null
     * strings are written as empty strings. Key and value together stay within {@link DeadLetter#MAX_RECORD_BYTES}.
     */
    public static byte[] value(DeadLetter letter, int keyBytes) {
        return valueWithin(letter, DeadLetter.MAX_RECORD_BYTES - keyBytes);
    }

    /** The JSON value, at most {@code maxBytes} long (at least 16 KiB: room for everything but the raw text). */
    static byte[] valueWithin(DeadLetter letter, int maxBytes) {
        String detail = cut(orEmpty(letter.detail()), DeadLetter.MAX_DETAIL_CHARS);
        String raw = orEmpty(letter.raw());
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        write(head, "{\"" + TradeContract.DeadLetterFields.REASON + "\":");
        string(head, orEmpty(letter.reason()), Integer.MAX_VALUE, Integer.MAX_VALUE);
        write(head, ",\"" + TradeContract.DeadLetterFields.DETAIL + "\":");
        string(head, detail, Integer.MAX_VALUE, Integer.MAX_VALUE);
        write(head, ",\"" + TradeContract.DeadLetterFields.RAW + "\":");
        ByteArrayOutputStream tail = new ByteArrayOutputStream(64);
        write(tail, ",\"" + TradeContract.DeadLetterFields.SOURCE + "\":");
        string(tail, orEmpty(letter.source()), Integer.MAX_VALUE, Integer.MAX_VALUE);
        write(tail, ",\"" + TradeContract.DeadLetterFields.REJECTED_AT + "\":" + letter.rejectedAt() + "}");

        int rawBudget = maxBytes - head.size() - tail.size();
        if (rawBudget < MARK.length + 2) {
            throw new IllegalArgumentException(
                    "a dead letter needs more than " + maxBytes + " bytes without its raw text");
        }
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(Math.min(maxBytes, head.size() + tail.size() + raw.length() + 16));
        out.writeBytes(head.toByteArray());
        string(out, raw, rawBudget, DeadLetter.MAX_RAW_CHARS);
        out.writeBytes(tail.toByteArray());
        return out.toByteArray();
    }

    /**
     * Writes {@code text} as a JSON string in at most {@code budget} bytes (quotes included) and of at most
     * {@code maxChars} characters; if it does not fit, as many whole characters as fit with the mark after them.
     */
    private static void string(ByteArrayOutputStream out, String text, int budget, int maxChars) {
        int end = text.length();
        if (end > maxChars || (budget != Integer.MAX_VALUE && encodedLength(text) + 2 > budget)) {
            end = fittingPrefix(text, Math.min(maxChars, text.length()), budget - 2 - MARK.length);
        }
        out.write('"');
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                write(out, text.substring(i, i + 2));
                i++;
            } else if (Character.isSurrogate(c)) {
                write(out, "\uFFFD"); // a lone surrogate has no UTF-8 form
            } else if (c == '"' || c == '\\') {
                out.write('\\');
                out.write(c);
            } else if (c < 0x20) {
                out.write('\\');
                out.write('u');
                out.write('0');
                out.write('0');
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xF]);
            } else if (c < 0x80) {
                out.write(c);
            } else {
                write(out, String.valueOf(c));
            }
        }
        if (end < text.length()) {
            out.writeBytes(MARK);
        }
        out.write('"');
    }

    private static int encodedLength(String text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            n += cost(text, i);
            if (Character.isHighSurrogate(text.charAt(i)) && cost(text, i) == 4) {
                i++;
            }
        }
        return (int) Math.min(Integer.MAX_VALUE - 16, n);
    }

    /** The end (at most {@code limit}) of the longest prefix of whole characters that encodes in {@code budget} bytes. */
    private static int fittingPrefix(String text, int limit, int budget) {
        int used = 0;
        int i = 0;
        while (i < limit) {
            int c = cost(text, i);
            if (used + c > budget) {
                break;
            }
            int next = i + (c == 4 && Character.isHighSurrogate(text.charAt(i)) ? 2 : 1);
            if (next > limit) {
                break;
            }
            used += c;
            i = next;
        }
        return i;
    }

    /** Bytes that the character at {@code i} (a surrogate pair: both chars) takes in a JSON string. */
    private static int cost(String text, int i) {
        char c = text.charAt(i);
        if (c == '"' || c == '\\') {
            return 2;
        }
        if (c < 0x20) {
            return 6;
        }
        if (c < 0x80) {
            return 1;
        }
        if (c < 0x800) {
            return 2;
        }
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
            return 4;
        }
        return 3; // other BMP characters, and a lone surrogate written as U+FFFD
    }

    private static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end) + DeadLetter.TRUNCATED_MARK;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
