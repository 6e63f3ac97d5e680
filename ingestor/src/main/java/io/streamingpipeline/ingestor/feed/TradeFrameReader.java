package io.streamingpipeline.ingestor.feed;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.TradeValidation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the common frame, {@code {"type":"trade","data":[{...}, ...]}}, in one pass of Jackson's streaming parser,
 * without building a tree: the feed's values of each trade, as {@link TradeValidation} reads them. It answers only
 * for a frame it can read the way {@link FrameParser}'s tree would; for anything else (another type, a value that is
 * not a string, integer, double, null or array of them, a repeated key, bad JSON) it answers null, and the tree
 * decides.
 */
final class TradeFrameReader {

    private static final TradeField[] FIELDS = TradeField.values();
    private static final Map<String, TradeField> BY_KEY = new HashMap<>();

    static {
        for (TradeField field : FIELDS) {
            String key = FinnhubFields.key(field);
            if (key != null) {
                BY_KEY.put(key, field);
            }
        }
    }

    /** Not a value this reader gives: the tree reads the frame instead. */
    private static final Object UNREAD = new Object();

    private final JsonFactory json;

    TradeFrameReader(JsonFactory json) {
        this.json = json;
    }

    /**
     * @return per element of {@code data}, the value of each field at its {@link TradeField#ordinal()} ({@link
     *     TradeValidation#ABSENT} for a key the element does not have, and for the fields the ingestor assigns); null
     *     when the frame is not a trade frame this reader can read
     */
    List<Object[]> read(String text) {
        try (JsonParser p = json.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            List<Object[]> trades = null;
            for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                if (key.equals("type")) {
                    if (type != null || token != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    type = p.getText();
                } else if (key.equals("data")) {
                    if (trades != null || token != JsonToken.START_ARRAY) {
                        return null;
                    }
                    trades = elements(p);
                    if (trades == null) {
                        return null;
                    }
                } else {
                    p.skipChildren();
                }
            }
            // the object must have ended here, and nothing may follow it (the tree's FAIL_ON_TRAILING_TOKENS)
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return "trade".equals(type) ? trades : null;
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** The elements of the array the parser is at the start of; null at anything but an object. */
    private static List<Object[]> elements(JsonParser p) throws IOException {
        List<Object[]> trades = new ArrayList<>();
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                return null;
            }
            Object[] values = new Object[FIELDS.length];
            Arrays.fill(values, TradeValidation.ABSENT);
            for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                TradeField field = BY_KEY.get(key);
                p.nextToken();
                if (field == null) {
                    p.skipChildren();
                    continue;
                }
                Object value = value(p);
                // a repeated key is the tree's to resolve (last wins, or an error if the mapper is so configured)
                if (value == UNREAD || values[field.ordinal()] != TradeValidation.ABSENT) {
                    return null;
                }
                values[field.ordinal()] = value;
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                return null;
            }
            trades.add(values);
        }
        return trades;
    }

    /** The value at the parser's current token, as {@link TradeValidation#valueOf} gives it from a tree; or UNREAD. */
    private static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT ->
                p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? UNREAD : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT ->
                p.getNumberType() == JsonParser.NumberType.DOUBLE ? (Object) p.getDoubleValue() : UNREAD;
            case START_ARRAY -> array(p);
            default -> UNREAD;
        };
    }

    private static Object array(JsonParser p) throws IOException {
        List<Object> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Object value = p.currentToken() == JsonToken.START_ARRAY ? UNREAD : value(p);
            if (value == UNREAD) {
                return UNREAD;
            }
            values.add(value);
        }
        return values;
    }
}
