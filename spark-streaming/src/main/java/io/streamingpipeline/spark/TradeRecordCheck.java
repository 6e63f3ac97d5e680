package io.streamingpipeline.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract.Fields;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value of one Kafka record of the trades topic, parsed (Jackson's streaming parser) and checked against the
 * contract with the ingestor's rules, in the ingestor's order: the first broken rule gives the {@link RejectReason}.
 * Plain Java, so that a micro-batch's plan holds one opaque step instead of a tree of a hundred Spark expressions
 * that the driver would analyse and generate code for in every batch.
 *
 * <p>The field types are those of JSON Schema in {@code trade.schema.json}, read as Spark's {@code from_json} reads
 * them (non-numeric numbers such as {@code NaN} are numbers; a string field given another JSON value holds that
 * value's JSON text). A field of the wrong type is null, and the record is rejected by that field's rule, or as
 * malformed if no rule covers the field.
 */
final class TradeRecordCheck {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final Pattern BLANK = Pattern.compile("^\\s*$");
    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final String NOT_AN_OBJECT = "not a JSON object in the trade schema";

    private TradeRecordCheck() {
    }

    /**
     * A checked record: the contract's fields (those that could be read) and, for a valid trade, its UTC
     * {@code day}; or a rejection reason and detail.
     */
    record Checked(String id, String symbol, Double price, Double volume, Long timestampUnix, String[] conditions,
                   Long ingestedAt, String day, String rejectReason, String rejectDetail) {

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

    /** The fields read so far, and whether one had a value of the wrong type. */
    private static final class Parsed {
        String id;
        String symbol;
        Double price;
        Double volume;
        Long timestampUnix;
        String[] conditions;
        Long ingestedAt;
        boolean conditionsMistyped;
        boolean mistyped;

        void read(String field, JsonParser parser) throws IOException {
            switch (field) {
                case Fields.ID -> id = string(parser);
                case Fields.SYMBOL -> symbol = string(parser);
                case Fields.PRICE -> price = number(parser);
                case Fields.VOLUME -> volume = number(parser);
                case Fields.TIMESTAMP_UNIX -> timestampUnix = integer(parser);
                case Fields.CONDITIONS -> conditions = strings(parser);
                case Fields.INGESTED_AT -> ingestedAt = integer(parser);
                default -> parser.skipChildren();
            }
        }

        /** A JSON string's text; any other JSON value's JSON text. */
        private static String string(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token.isScalarValue()) {
                return parser.getText();
            }
            StringWriter json = new StringWriter();
            try (JsonGenerator generator = JSON.createGenerator(json)) {
                generator.copyCurrentStructure(parser);
            }
            return json.toString();
        }

        private Double number(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            if (token == JsonToken.VALUE_STRING) {
                switch (parser.getText()) {
                    case "NaN":
                        return Double.NaN;
                    case "Infinity", "+Infinity", "+INF":
                        return Double.POSITIVE_INFINITY;
                    case "-Infinity", "-INF":
                        return Double.NEGATIVE_INFINITY;
                    default:
                        break;
                }
            }
            return mistyped(parser);
        }

        private Long integer(JsonParser parser) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                try {
                    return parser.getLongValue();
                } catch (InputCoercionException outOfRange) {
                    return mistyped(parser);
                }
            }
            return mistyped(parser);
        }

        private String[] strings(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                String[] none = mistyped(parser);
                conditionsMistyped = parser.currentToken() != JsonToken.VALUE_NULL;
                return none;
            }
            List<String> values = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                values.add(string(parser));
            }
            return values.toArray(String[]::new);
        }

        /** Null; the value is skipped, and counts as mistyped unless it is JSON's null. */
        private <T> T mistyped(JsonParser parser) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_NULL) {
                mistyped = true;
            }
            parser.skipChildren();
            return null;
        }

        Checked check(long kafkaTimeMillis, Duration maxFutureSkew) {
            boolean noField = id == null && symbol == null && price == null && volume == null && timestampUnix == null
                    && conditions == null && ingestedAt == null;
            if (noField && mistyped) {
                return rejected(RejectReason.MALFORMED_JSON, NOT_AN_OBJECT);
            }
            if (symbol == null || BLANK.matcher(symbol).matches()) {
                return rejected(RejectReason.MISSING_SYMBOL, "\"" + Fields.SYMBOL + "\" must be a non-empty string");
            }
            if (symbol.codePointCount(0, symbol.length()) > Trade.MAX_SYMBOL_CHARS) {
                return rejected(RejectReason.MISSING_SYMBOL,
                        "\"" + Fields.SYMBOL + "\" is longer than " + Trade.MAX_SYMBOL_CHARS + " characters");
            }
            if (!finite(price) || price <= 0) {
                return rejected(RejectReason.INVALID_PRICE, was("\"" + Fields.PRICE + "\" must be a finite number > 0", price));
            }
            if (!finite(volume) || volume < 0) {
                return rejected(RejectReason.INVALID_VOLUME, was("\"" + Fields.VOLUME + "\" must be a finite number >= 0", volume));
            }
            if (timestampUnix == null) {
                return rejected(RejectReason.INVALID_TIMESTAMP, "\"" + Fields.TIMESTAMP_UNIX
                        + "\" must be an integer of UNIX milliseconds, was absent or not an integer");
            }
            if (timestampUnix < Trade.EARLIEST_PLAUSIBLE_MILLIS
                    || timestampUnix > kafkaTimeMillis + maxFutureSkew.toMillis()) {
                return rejected(RejectReason.INVALID_TIMESTAMP, "\"" + Fields.TIMESTAMP_UNIX + "\" = " + timestampUnix
                        + " is not a plausible time in UNIX milliseconds (before 2000 or more than " + maxFutureSkew
                        + " after the Kafka record time)");
            }
            if (conditionsMistyped) {
                return rejected(RejectReason.INVALID_CONDITIONS, "\"" + Fields.CONDITIONS + "\" must be an array of strings or null");
            }
            if (id == null || !UUID_PATTERN.matcher(id).matches()) {
                return rejected(RejectReason.INVALID_ID, was("\"" + Fields.ID + "\" must be a UUID", id));
            }
            if (mistyped) {
                return rejected(RejectReason.MALFORMED_JSON, "a field does not have the type of the trade schema (e.g. \""
                        + Fields.INGESTED_AT + "\" must be an integer)");
            }
            // no conditions: left unset in Cassandra (ignoreNulls), so readers see null for [] and absent alike
            String[] someConditions = conditions == null || conditions.length == 0 ? null : conditions;
            String day = LocalDate.ofEpochDay(Math.floorDiv(timestampUnix, MILLIS_PER_DAY)).toString();
            return new Checked(id.toLowerCase(Locale.ROOT), symbol, price, volume, timestampUnix, someConditions,
                    ingestedAt, day, null, null);
        }

        Checked rejected(RejectReason reason, String detail) {
            return new Checked(id, symbol, price, volume, timestampUnix, conditions, ingestedAt, null, reason.label(),
                    detail);
        }

        private static boolean finite(Double number) {
            return number != null && Double.isFinite(number);
        }

        private static String was(String rule, Object value) {
            return rule + ", was " + (value == null ? "absent or not of that type" : value);
        }
    }
}
