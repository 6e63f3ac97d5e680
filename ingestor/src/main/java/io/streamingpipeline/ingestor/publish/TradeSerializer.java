package io.streamingpipeline.ingestor.publish;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serializer of the trades channel: a {@link Trade} as its JSON record, the bytes Jackson's databind writes
 * for the contract's annotated {@link Trade} (every {@link TradeField} in order, none omitted), which
 * {@code TradeSerializerTest} checks. It runs for every trade on the producer's thread, so it writes the record's bytes
 * itself ({@link JsonBytes}), into a buffer of the thread's: databind's generator, created for each record, and its
 * reflective accessors were a third of the producer thread's samples at full speed (bench/ingest).
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
    private static final ThreadLocal<JsonBytes> BUFFERS = ThreadLocal.withInitial(JsonBytes::new);

    @Override
    public byte[] serialize(String topic, Trade trade) {
        if (trade == null) {
            return null;
        }
        JsonBytes out = BUFFERS.get();
        out.reset();
        try {
            for (TradeField field : FIELDS) {
                out.write(NAMES[field.ordinal()]);
                switch (field.type()) {
                    case DOUBLE -> out.number(trade.doubleValue(field));
                    case BIGINT -> out.number(trade.longValue(field));
                    default -> object(out, trade.value(field));
                }
            }
            out.write('}');
            return out.bytes();
        } catch (RuntimeException e) {
            // e.g. a lone surrogate, which has no UTF-8 form
            throw new SerializationException("a trade of " + trade.symbol() + " could not be written as JSON", e);
        }
    }

    /** A value of a {@link TradeField.Type#UUID}, {@link TradeField.Type#TEXT} or text-list field. */
    private static void object(JsonBytes out, Object value) {
        if (value == null) {
            out.write(NULL);
        } else if (value instanceof UUID id) {
            out.uuid(id);
        } else if (value instanceof String text) {
            out.quoted(text);
        } else {
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
