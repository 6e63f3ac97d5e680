package io.streamingpipeline.ingestor.publish;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serializer of the trades channel: a {@link Trade} as its JSON record, the bytes Jackson's databind writes
 * for the contract's annotated {@link Trade} (every {@link TradeField} in order, none omitted), which
 * {@code TradeSerializerTest} checks. It runs for every trade on the producer's thread, so it writes the record's bytes
 * itself, with Jackson's escaping of strings and its shortest-decimal writer of doubles (Schubfach): databind's
 * generator, created for each record, and its reflective accessors were a third of the producer thread's samples at
 * full speed (bench/ingest).
 */
public class TradeSerializer implements Serializer<Trade> {

    private static final TradeField[] FIELDS = TradeField.values();
    /** Per field, {@code "name":} ({@code ,"name":} after the first), as UTF-8. */
    private static final byte[][] NAMES = new byte[FIELDS.length][];

    static {
        for (TradeField field : FIELDS) {
            String name = new String(JsonStringEncoder.getInstance().quoteAsString(field.jsonName()));
            NAMES[field.ordinal()] =
                    ((field.ordinal() == 0 ? "{\"" : ",\"") + name + "\":").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    @Override
    public byte[] serialize(String topic, Trade trade) {
        if (trade == null) {
            return null;
        }
        try {
            Record out = new Record();
            for (TradeField field : FIELDS) {
                out.write(NAMES[field.ordinal()]);
                Object value = trade.value(field);
                if (value == null) {
                    out.write(NULL);
                    continue;
                }
                switch (field.type()) {
                    case UUID -> {
                        out.write('"');
                        out.ascii(((UUID) value).toString());
                        out.write('"');
                    }
                    case TEXT -> out.quoted((String) value);
                    case DOUBLE -> {
                        double d = (Double) value;
                        if (Double.isFinite(d)) {
                            out.ascii(NumberOutput.toString(d, true));
                        } else {
                            out.quoted(Double.toString(d)); // as the generator writes NaN and infinities
                        }
                    }
                    case BIGINT -> out.ascii(Long.toString((Long) value));
                    case TEXT_LIST -> {
                        List<?> texts = (List<?>) value;
                        out.write('[');
                        for (int i = 0; i < texts.size(); i++) {
                            if (i > 0) {
                                out.write(',');
                            }
                            out.quoted((String) texts.get(i));
                        }
                        out.write(']');
                    }
                }
            }
            out.write('}');
            return out.bytes();
        } catch (RuntimeException e) {
            // e.g. a lone surrogate, which has no UTF-8 form
            throw new SerializationException("a trade of " + trade.symbol() + " could not be written as JSON", e);
        }
    }

    /** The record's bytes as they are written. */
    private static final class Record {
        private byte[] buf = new byte[256];
        private int len;

        void write(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void write(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buf, len, bytes.length);
            len += bytes.length;
        }

        /** Text known to be ASCII (digits, signs, hex, dashes). */
        void ascii(String text) {
            int n = text.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf[len++] = (byte) text.charAt(i);
            }
        }

        /** A JSON string: quoted, escaped as Jackson's generator escapes, UTF-8. */
        void quoted(String text) {
            write('"');
            write(JsonStringEncoder.getInstance().quoteAsUTF8(text));
            write('"');
        }

        private void ensure(int more) {
            if (len + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, len);
        }
    }
}
