package io.streamingpipeline.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingpipeline.contract.TradeContract.Fields;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The rules of a valid trade: one implementation, used by the ingestor (the feed's fields), the Spark job (the
 * record on the trades topic) and the query service (a requested symbol). Rules in order, the first broken one gives
 * the {@link RejectReason}:
 * <ol>
 *   <li>{@code symbol}: a JSON string of 1 to {@value #MAX_SYMBOL_CODE_POINTS} Unicode code points (as JSON
 *       Schema's {@code maxLength} counts), not only whitespace, without control characters or unpaired surrogates
 *       ({@code missing_symbol});</li>
 *   <li>{@code price}: a JSON number, finite, &gt; 0 and &le; {@link #MAX_PRICE} ({@code invalid_price});</li>
 *   <li>{@code volume}: a JSON number, finite, &ge; 0 and &le; {@link #MAX_VOLUME}; and price &times; volume
 *       &le; {@link #MAX_NOTIONAL}, so that no sum of a candle can become infinite ({@code invalid_volume});</li>
 *   <li>{@code timestamp_unix}: a JSON integer of UNIX milliseconds from {@link Trade#EARLIEST_PLAUSIBLE_MILLIS}
 *       to the reference time (the feed frame's arrival, the Kafka record's time) plus the allowed skew
 *       ({@code invalid_timestamp});</li>
 *   <li>{@code conditions}: absent, null, or an array of JSON strings without unpaired surrogates
 *       ({@code invalid_conditions});</li>
 *   <li>{@code id} (a record on the trades topic): a lower-case UUIDv7 ({@code invalid_id});</li>
 *   <li>{@code ingested_at} (a record on the trades topic): a JSON integer &ge; 0 ({@code malformed_json});</li>
 *   <li>a {@link TradeField} without a rule of its own: a value of its type, null or absent only if it is nullable
 *       ({@code malformed_json}).</li>
 * </ol>
 * Values are JSON values as a parser reads them: {@link String}, {@link Long} or {@link BigInteger} (a JSON integer),
 * {@link Double} or {@link BigDecimal} (any other number), {@link Boolean}, a {@link List} (an array), a {@link Map}
 * (an object), {@code null} (JSON's null) or {@link #ABSENT}. A value of another JSON type than the schema's breaks
 * its field's rule: an object or a number where a string is required, a string where a number is. Fields the
 * contract does not name are ignored, so that a newer producer may add one.
 */
public final class TradeValidation {

    /** A field the JSON object does not have. */
    public static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "absent";
        }
    };
    /** The longest symbol, in Unicode code points. */
    public static final int MAX_SYMBOL_CODE_POINTS = Trade.MAX_SYMBOL_CHARS;
    /** The highest plausible price of one unit (no traded asset is near it; a bigger one is a unit or data error). */
    public static final double MAX_PRICE = 1e9;
    /** The largest plausible volume of one trade (tokens priced at 1e-8 trade in billions, not in 1e15). */
    public static final double MAX_VOLUME = 1e15;
    /**
     * The largest plausible price &times; volume of one trade; with it, a one-minute candle's sums stay far from
     * {@code Double.MAX_VALUE} whatever the number of trades, so no candle becomes Infinity or NaN.
     */
    public static final double MAX_NOTIONAL = 1e13;

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int SHOWN_CODE_POINTS = 40;

    private TradeValidation() {}

    /** Why a trade is rejected; the detail names the field and the rule, and shows at most a short value. */
    public record Rejection(RejectReason reason, String detail) {}

    /** The fields the ingestor assigns to a trade; the feed gives the others. */
    public static final Set<TradeField> INGESTOR_FIELDS =
            Collections.unmodifiableSet(EnumSet.of(TradeField.ID, TradeField.INGESTED_AT));

    /**
     * A record on the trades topic: the JSON value of each field ({@link #ABSENT} for a missing one). Null when every
     * rule holds; then the values have the types the rules name ({@code price} and {@code volume}: {@link #number}).
     */
    public static Rejection check(Function<TradeField, Object> values, long referenceMillis, Duration maxFutureSkew) {
        Rejection r = checkFeedFields(values, referenceMillis, maxFutureSkew);
        for (int i = 0; r == null && i < ASSIGNED_FIELDS.length; i++) {
            r = rule(ASSIGNED_FIELDS[i], values, referenceMillis, maxFutureSkew);
        }
        return r;
    }

    /**
     * The fields a feed gives for a trade (all but {@link #INGESTOR_FIELDS}), in {@link TradeField} order. Null when
     * every rule holds.
     */
    public static Rejection checkFeedFields(
            Function<TradeField, Object> values, long referenceMillis, Duration maxFutureSkew) {
        for (TradeField field : FEED_FIELDS) {
            Rejection r = rule(field, values, referenceMillis, maxFutureSkew);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** All fields but {@link #INGESTOR_FIELDS}, in order (an array: the rules run for every trade). */
    private static final TradeField[] FEED_FIELDS = Arrays.stream(TradeField.values())
            .filter(field -> !INGESTOR_FIELDS.contains(field))
            .toArray(TradeField[]::new);
    /** {@link #INGESTOR_FIELDS} in order, as an array. */
    private static final TradeField[] ASSIGNED_FIELDS =
            Arrays.stream(TradeField.values()).filter(INGESTOR_FIELDS::contains).toArray(TradeField[]::new);

    /**
     * A JSON tree node as the values the rules read; a missing node ({@code object.get(name)} of an absent field) is
     * {@link #ABSENT}.
     */
    public static Object valueOf(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return ABSENT;
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> values = new ArrayList<>(node.size());
            node.forEach(element -> values.add(valueOf(element)));
            return values;
        }
        return Map.of();
    }

    private static Rejection rule(
            TradeField field, Function<TradeField, Object> values, long referenceMillis, Duration maxFutureSkew) {
        Object value = values.apply(field);
        return switch (field) {
            case SYMBOL -> {
                String problem =
                        value instanceof String s ? symbolProblem(s) : "must be a string, was " + describe(value);
                yield problem == null
                        ? null
                        : new Rejection(RejectReason.MISSING_SYMBOL, "\"" + Fields.SYMBOL + "\" " + problem);
            }
            case PRICE -> {
                double p = number(value);
                yield p > 0 && p <= MAX_PRICE
                        ? null
                        : new Rejection(
                                RejectReason.INVALID_PRICE,
                                "\"" + Fields.PRICE + "\" must be a number > 0 and <= " + MAX_PRICE + ", was "
                                        + describe(value));
            }
            case VOLUME -> volumeRule(value, number(values.apply(TradeField.PRICE)));
            case TIMESTAMP_UNIX -> timestampRule(value, referenceMillis, maxFutureSkew);
            case CONDITIONS -> typeRule(field, value, RejectReason.INVALID_CONDITIONS);
            case ID ->
                value instanceof String s && isLowerCaseUuidV7(s)
                        ? null
                        : new Rejection(
                                RejectReason.INVALID_ID,
                                "\"" + Fields.ID + "\" must be a lower-case UUIDv7 string, was " + describe(value));
            case INGESTED_AT ->
                value instanceof Long millis && millis >= 0
                        ? null
                        : new Rejection(
                                RejectReason.MALFORMED_JSON,
                                "\"" + Fields.INGESTED_AT + "\" must be an integer of UNIX milliseconds >= 0, was "
                                        + describe(value));
            default -> typeRule(field, value, RejectReason.MALFORMED_JSON);
        };
    }

    private static Rejection volumeRule(Object volume, double price) {
        double v = number(volume);
        if (!(v >= 0 && v <= MAX_VOLUME)) {
            return new Rejection(
                    RejectReason.INVALID_VOLUME,
                    "\"" + Fields.VOLUME + "\" must be a number >= 0 and <= " + MAX_VOLUME + ", was "
                            + describe(volume));
        }
        if (price * v > MAX_NOTIONAL) {
            return new Rejection(
                    RejectReason.INVALID_VOLUME,
                    "\"" + Fields.PRICE + "\" x \"" + Fields.VOLUME + "\" = " + (price * v) + " is above "
                            + MAX_NOTIONAL + ", not a plausible trade");
        }
        return null;
    }

    private static Rejection timestampRule(Object timestampUnix, long referenceMillis, Duration maxFutureSkew) {
        if (!(timestampUnix instanceof Long t)) {
            return new Rejection(
                    RejectReason.INVALID_TIMESTAMP,
                    "\"" + Fields.TIMESTAMP_UNIX + "\" must be an integer of UNIX milliseconds, was "
                            + describe(timestampUnix));
        }
        if (t < Trade.EARLIEST_PLAUSIBLE_MILLIS || t > referenceMillis + maxFutureSkew.toMillis()) {
            return new Rejection(
                    RejectReason.INVALID_TIMESTAMP,
                    "\"" + Fields.TIMESTAMP_UNIX + "\" = " + t
                            + " is not a plausible time in UNIX milliseconds (before 2000 or more than " + maxFutureSkew
                            + " after " + referenceMillis + ")");
        }
        return null;
    }

    /**
     * The rule of a field without rules of its own: a JSON value of its type's JSON type, or null or absent when it is
     * nullable.
     */
    private static Rejection typeRule(TradeField field, Object value, RejectReason reason) {
        TradeField.Type type = field.type();
        if (value == ABSENT || value == null) {
            return field.nullable() ? null : typeRejection(field, reason, value);
        }
        boolean ok = switch (type) {
            case UUID -> value instanceof String s && UUID_TEXT.matcher(s).matches();
            case TEXT -> value instanceof String;
            case DOUBLE -> Double.isFinite(number(value));
            case BIGINT -> value instanceof Long;
            case TEXT_LIST -> value instanceof List<?>;
        };
        if (!ok) {
            return typeRejection(field, reason, value);
        }
        if (value instanceof List<?> elements) {
            for (Object element : elements) {
                if (!(element instanceof String)) {
                    return new Rejection(
                            reason, "\"" + field.jsonName() + "\" must hold strings only, found " + describe(element));
                }
                if (hasUnpairedSurrogate((String) element)) {
                    return unpairedSurrogate(field, reason);
                }
            }
        } else if (value instanceof String text && hasUnpairedSurrogate(text)) {
            return unpairedSurrogate(field, reason);
        }
        return null;
    }

    /** Text with half a surrogate pair has no UTF-8 form: it could be neither written to Kafka nor stored. */
    private static Rejection unpairedSurrogate(TradeField field, RejectReason reason) {
        return new Rejection(reason, "\"" + field.jsonName() + "\" must not hold an unpaired surrogate");
    }

    private static boolean hasUnpairedSurrogate(String text) {
        if (!hasSurrogate(text)) {
            return false;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    private static Rejection typeRejection(TradeField field, RejectReason reason, Object value) {
        String expected = switch (field.type()) {
                    case UUID -> "a UUID string";
                    case TEXT -> "a string";
                    case DOUBLE -> "a finite number";
                    case BIGINT -> "an integer";
                    case TEXT_LIST -> "an array of strings";
                }
                + (field.nullable() ? " or null" : "");
        return new Rejection(reason, "\"" + field.jsonName() + "\" must be " + expected + ", was " + describe(value));
    }

    /**
     * Null if {@code symbol} is a valid symbol, else what is wrong with it (without the symbol itself, which may be
     * long or hold control characters).
     */
    public static String symbolProblem(String symbol) {
        if (symbol == null) {
            return "must be a string, was null";
        }
        if (isPrintableAscii(symbol) && symbol.length() <= MAX_SYMBOL_CODE_POINTS) {
            return null; // the usual symbol: no control, space or surrogate, and as many code points as chars
        }
        int codePoints = 0;
        boolean blank = true;
        for (int i = 0; i < symbol.length(); ) {
            int cp = symbol.codePointAt(i);
            if (Character.isISOControl(cp)) {
                return "must not hold control characters";
            }
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                return "must not hold an unpaired surrogate"; // no UTF-8 form
            }
            blank &= Character.isWhitespace(cp) || Character.isSpaceChar(cp);
            codePoints++;
            i += Character.charCount(cp);
        }
        if (codePoints == 0 || blank) {
            return "must be a non-blank string";
        }
        if (codePoints > MAX_SYMBOL_CODE_POINTS) {
            return "is longer than " + MAX_SYMBOL_CODE_POINTS + " characters (code points)";
        }
        return null;
    }

    /**
     * Whether {@code s} matches {@code [0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}}: a
     * lower-case UUID of version 7 and the RFC's variant (a loop rather than the pattern: it runs for every record).
     */
    static boolean isLowerCaseUuidV7(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = switch (i) {
                case 8, 13, 18, 23 -> c == '-';
                case 14 -> c == '7';
                case 19 -> c == '8' || c == '9' || c == 'a' || c == 'b';
                default -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} is not empty and all of it is printable ASCII other than the space. */
    private static boolean isPrintableAscii(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return n > 0;
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A JSON number's value as a double (an overflowing one is infinite); NaN for any other JSON value. */
    public static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigInteger || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        return Double.NaN;
    }

    /** A value for a detail: a number as is, a string quoted and shortened, other JSON values by their type. */
    static String describe(Object value) {
        if (value == ABSENT) {
            return "absent";
        }
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return quoted(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            String text = value.toString();
            return text.length() > SHOWN_CODE_POINTS ? text.substring(0, SHOWN_CODE_POINTS) + "…" : text;
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static String quoted(String s) {
        StringBuilder out = new StringBuilder("\"");
        int shown = 0;
        for (int i = 0; i < s.length(); shown++) {
            if (shown == SHOWN_CODE_POINTS) {
                return out.append("…\"").toString();
            }
            int cp = s.codePointAt(i);
            if (Character.isISOControl(cp) || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return out.append('"').toString();
    }
}
