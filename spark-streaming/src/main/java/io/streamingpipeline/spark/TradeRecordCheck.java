package io.streamingpipeline.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.TradeContract.Fields;
import io.streamingpipeline.contract.TradeValidation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
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
 * it is (an object or an array only as its type: their content is skipped, except the strings of
 * {@code conditions}), and {@link TradeValidation} checks its type and value.
 */
final class TradeRecordCheck {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final String NOT_AN_OBJECT = "not one JSON object with each field once";

    private TradeRecordCheck() {}

    /**
     * A checked record: for a valid trade, the contract's fields and its UTC {@code day}; for a rejected record, the
     * reason and detail (and the fields that had their schema type).
     */
    record Checked(
            String id,
            String symbol,
            Double price,
            Double volume,
            Long timestampUnix,
            String[] conditions,
            Long ingestedAt,
            String day,
            String rejectReason,
            String rejectDetail) {

        boolean valid() {
            return rejectReason == null;
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

    /** The record's value as text, for a dead letter. */
    static String text(byte[] value) {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The contract's fields read so far, as JSON values ({@link TradeValidation#ABSENT} until read). */
    private static final class Parsed {
        Object id = TradeValidation.ABSENT;
        Object symbol = TradeValidation.ABSENT;
        Object price = TradeValidation.ABSENT;
        Object volume = TradeValidation.ABSENT;
        Object timestampUnix = TradeValidation.ABSENT;
        Object conditions = TradeValidation.ABSENT;
        Object ingestedAt = TradeValidation.ABSENT;

        void read(String field, JsonParser parser) throws IOException {
            switch (field) {
                case Fields.ID -> id = value(parser, false);
                case Fields.SYMBOL -> symbol = value(parser, false);
                case Fields.PRICE -> price = value(parser, false);
                case Fields.VOLUME -> volume = value(parser, false);
                case Fields.TIMESTAMP_UNIX -> timestampUnix = value(parser, false);
                case Fields.CONDITIONS -> conditions = value(parser, true);
                case Fields.INGESTED_AT -> ingestedAt = value(parser, false);
                default -> parser.skipChildren();
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
            TradeValidation.Rejection rejection = TradeValidation.check(
                    id, symbol, price, volume, timestampUnix, conditions, ingestedAt, kafkaTimeMillis, maxFutureSkew);
            if (rejection != null) {
                return rejected(rejection.reason(), rejection.detail());
            }
            long time = (Long) timestampUnix;
            // no conditions: left unset in Cassandra (ignoreNulls), so readers see null for [] and absent alike
            String[] someConditions =
                    conditions instanceof List<?> codes && !codes.isEmpty() ? codes.toArray(String[]::new) : null;
            String day =
                    LocalDate.ofEpochDay(Math.floorDiv(time, MILLIS_PER_DAY)).toString();
            return new Checked(
                    (String) id,
                    (String) symbol,
                    TradeValidation.number(price),
                    TradeValidation.number(volume),
                    time,
                    someConditions,
                    (Long) ingestedAt,
                    day,
                    null,
                    null);
        }

        Checked rejected(RejectReason reason, String detail) {
            return new Checked(
                    id instanceof String s ? s : null,
                    symbol instanceof String s ? s : null,
                    price instanceof Double || price instanceof Long ? TradeValidation.number(price) : null,
                    volume instanceof Double || volume instanceof Long ? TradeValidation.number(volume) : null,
                    timestampUnix instanceof Long t ? t : null,
                    null,
                    ingestedAt instanceof Long t ? t : null,
                    null,
                    reason.label(),
                    detail);
        }
    }
}
