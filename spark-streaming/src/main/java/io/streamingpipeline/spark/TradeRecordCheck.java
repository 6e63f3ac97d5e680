package io.streamingpipeline.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.TradeValidation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The value of one Kafka record of the trades topic, parsed (Jackson's streaming parser) and checked by the contract's
 * {@link TradeValidation}: the first broken rule gives the {@link RejectReason}. Plain Java, so that a micro-batch's
 * plan holds one opaque step instead of a tree of a hundred Spark expressions that the driver would analyse and
 * generate code for in every batch.
 *
 * <p>The record must be one JSON object, each field once ({@code malformed_json} otherwise, also for nesting deeper
 * than Jackson's limit or a number of more than its 1,000 digits). Each field of the contract is read as the JSON value
 * it is (an object or an array only as its type: their content is skipped, except the strings of a list field such
 * as {@code conditions}), and {@link TradeValidation} checks its type and value. Fields are the contract's
 * {@link TradeField}s: a field added there is read, checked and written without a change here.
 */
final class TradeRecordCheck {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // FastDoubleParser: correctly rounded, as the JDK's parse, in less time (the JDK's was 8 % of the tasks')
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final String NOT_AN_OBJECT = "not one JSON object with each field once";
    private static final TradeField[] FIELDS = TradeField.values();

    private TradeRecordCheck() {}

    /**
     * A checked record: for a valid trade, the value of each {@link TradeField} (by its ordinal, as the Spark SQL type
     * of its field holds it) and its UTC {@code day}; for a rejected record, the reason and detail (and the fields that
     * had their schema type).
     */
    record Checked(Object[] values, String day, String rejectReason, String rejectDetail) {

        boolean valid() {
            return rejectReason == null;
        }

        Object value(TradeField field) {
            return values[field.ordinal()];
        }

        String id() {
            return (String) value(TradeField.ID);
        }

        String symbol() {
            return (String) value(TradeField.SYMBOL);
        }

        Double price() {
            return (Double) value(TradeField.PRICE);
        }

        Double volume() {
            return (Double) value(TradeField.VOLUME);
        }

        Long timestampUnix() {
            return (Long) value(TradeField.TIMESTAMP_UNIX);
        }
    }

    /**
     * @param value           the record's value, or null
     * @param kafkaTimeMillis the record's Kafka timestamp: a trade time may be at most {@code maxFutureSkew} after it
     */
    static Checked check(byte[] value, long kafkaTimeMillis, Duration maxFutureSkew) {
        Parsed p = new Parsed();
        if (value == null) {
            return p.rejected(RejectReason.MALFORMED_JSON, "the record has no value");
        }
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return p.rejected(RejectReason.MALFORMED_JSON, NOT_AN_OBJECT);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                p.read(name, parser);
            }
            if (parser.nextToken() != null) {
                return p.rejected(RejectReason.MALFORMED_JSON, NOT_AN_OBJECT);
            }
        } catch (JsonProcessingException e) {
            return p.rejected(RejectReason.MALFORMED_JSON, NOT_AN_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a record held in memory", e);
        }
        return p.check(kafkaTimeMillis, maxFutureSkew);
    }

    /**
     * A day as {@code yyyy-MM-dd}; the last one is kept, as nearly every record of a batch is of the same day as the
     * one before it (shared by the threads of an executor: a stale or lost entry only costs a new string).
     */
    private record Day(long epochDay, String text) {
        private static volatile Day last = new Day(0, LocalDate.ofEpochDay(0).toString());

        static String of(long epochDay) {
            Day day = last;
            if (day.epochDay != epochDay) {
                day = new Day(epochDay, LocalDate.ofEpochDay(epochDay).toString());
                last = day;
            }
            return day.text;
        }
    }

    /** The record's value as text, for a dead letter. */
    static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The contract's fields read so far, as JSON values ({@link TradeValidation#ABSENT} until read). */
    private static final class Parsed {
        private final Object[] json = new Object[FIELDS.length];

        Parsed() {
            Arrays.fill(json, TradeValidation.ABSENT);
        }

        void read(String name, JsonParser parser) throws IOException {
            TradeField field = TradeField.ofJsonName(name);
            if (field == null) {
                parser.skipChildren();
            } else {
                json[field.ordinal()] = value(parser, field.type() == TradeField.Type.TEXT_LIST);
            }
        }

        /**
         * The current JSON value as {@link TradeValidation} reads values; an object is an empty map and an array an
         * empty list unless {@code elements}, then a list of its elements (nested ones as their type only).
         */
        private static Object value(JsonParser parser, boolean elements) throws IOException {
            JsonToken token = parser.currentToken();
            switch (token) {
                case VALUE_STRING:
                    return parser.getText();
                case VALUE_NUMBER_INT:
                    return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? parser.getBigIntegerValue()
                            : (Object) parser.getLongValue();
                case VALUE_NUMBER_FLOAT:
                    return parser.getDoubleValue();
                case VALUE_TRUE:
                case VALUE_FALSE:
                    return token == JsonToken.VALUE_TRUE;
                case VALUE_NULL:
                    return null;
                case START_ARRAY:
                    if (!elements) {
                        parser.skipChildren();
                        return List.of();
                    }
                    List<Object> values = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        values.add(value(parser, false));
                    }
                    return values;
                default:
                    parser.skipChildren();
                    return Map.of();
            }
        }

        Checked check(long kafkaTimeMillis, Duration maxFutureSkew) {
            TradeValidation.Rejection rejection =
                    TradeValidation.check(field -> json[field.ordinal()], kafkaTimeMillis, maxFutureSkew);
            if (rejection != null) {
                return rejected(rejection.reason(), rejection.detail());
            }
            Object[] values = new Object[FIELDS.length];
            for (TradeField field : FIELDS) {
                values[field.ordinal()] = sparkValue(field.type(), json[field.ordinal()]);
            }
            long time = (Long) json[TradeField.TIMESTAMP_UNIX.ordinal()];
            return new Checked(values, Day.of(Math.floorDiv(time, MILLIS_PER_DAY)), null, null);
        }

        Checked rejected(RejectReason reason, String detail) {
            Object[] values = new Object[FIELDS.length];
            for (TradeField field : FIELDS) {
                Object value = json[field.ordinal()];
                boolean ofItsType = switch (field.type()) {
                    case UUID, TEXT -> value instanceof String;
                    case DOUBLE -> value instanceof Double || value instanceof Long;
                    case BIGINT -> value instanceof Long;
                    case TEXT_LIST -> false;
                };
                values[field.ordinal()] = ofItsType ? sparkValue(field.type(), value) : null;
            }
            return new Checked(values, null, reason.label(), detail);
        }

        /** A valid JSON value as the Spark SQL type of its field holds it. */
        private static Object sparkValue(TradeField.Type type, Object value) {
            if (value == null || value == TradeValidation.ABSENT) {
                return null;
            }
            return switch (type) {
                case UUID, TEXT, BIGINT -> value;
                case DOUBLE -> TradeValidation.number(value);
                // none: left unset in Cassandra (ignoreNulls), so readers see null for [] and absent alike
                case TEXT_LIST -> ((List<?>) value).isEmpty() ? null : ((List<?>) value).toArray(String[]::new);
            };
        }
    }
}
