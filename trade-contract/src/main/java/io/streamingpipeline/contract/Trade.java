package io.streamingpipeline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One trade as it travels through Kafka (the value of a record on {@link TradeContract#TRADES_TOPIC}); the rules of a
 * valid one are {@link TradeValidation}'s. Its fields are {@link TradeField}'s: stages that read or write every field
 * go through {@link #of} and {@link #value} rather than the components.
 *
 * @param id            assigned once by the ingestor (UUIDv7, time-ordered); makes every later write idempotent
 * @param symbol        e.g. {@code BINANCE:BTCUSDT}; also the record key
 * @param price         last price, finite, &gt; 0 and &le; {@link TradeValidation#MAX_PRICE}
 * @param volume        finite, &ge; 0 and &le; {@link TradeValidation#MAX_VOLUME}
 * @param timestampUnix trade time, UNIX milliseconds
 * @param conditions    trade-condition codes, or null when the feed sent none
 * @param ingestedAt    when the ingestor received the frame, UNIX milliseconds
 */
@JsonPropertyOrder({
    TradeContract.Fields.ID,
    TradeContract.Fields.SYMBOL,
    TradeContract.Fields.PRICE,
    TradeContract.Fields.VOLUME,
    TradeContract.Fields.TIMESTAMP_UNIX,
    TradeContract.Fields.CONDITIONS,
    TradeContract.Fields.INGESTED_AT
})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Trade(
        @JsonProperty(TradeContract.Fields.ID) UUID id,
        @JsonProperty(TradeContract.Fields.SYMBOL) String symbol,
        @JsonProperty(TradeContract.Fields.PRICE) double price,
        @JsonProperty(TradeContract.Fields.VOLUME) double volume,
        @JsonProperty(TradeContract.Fields.TIMESTAMP_UNIX) long timestampUnix,
        @JsonProperty(TradeContract.Fields.CONDITIONS) List<String> conditions,
        @JsonProperty(TradeContract.Fields.INGESTED_AT) long ingestedAt) {

    /** 2000-01-01T00:00:00Z: an older trade time is taken for seconds or garbage, and the trade is rejected. */
    public static final long EARLIEST_PLAUSIBLE_MILLIS = 946_684_800_000L;
    /** The longest symbol of a valid trade, in Unicode code points (as JSON Schema's {@code maxLength} counts). */
    public static final int MAX_SYMBOL_CHARS = 64;

    public Trade {
        conditions = conditions == null ? null : List.copyOf(conditions);
    }

    /** The value of a field, as its type's {@link TradeField.Type#java() Java class} (boxed). */
    public Object value(TradeField field) {
        return switch (field) {
            case ID -> id;
            case SYMBOL -> symbol;
            case PRICE -> price;
            case VOLUME -> volume;
            case TIMESTAMP_UNIX -> timestampUnix;
            case CONDITIONS -> conditions;
            case INGESTED_AT -> ingestedAt;
        };
    }

    /** The value of a {@link TradeField.Type#DOUBLE} field, unboxed: {@link #value} without an object per call. */
    public double doubleValue(TradeField field) {
        return switch (field) {
            case PRICE -> price;
            case VOLUME -> volume;
            default -> throw new IllegalArgumentException(field.jsonName() + " is not a double");
        };
    }

    /** The value of a {@link TradeField.Type#BIGINT} field, unboxed: {@link #value} without an object per call. */
    public long longValue(TradeField field) {
        return switch (field) {
            case TIMESTAMP_UNIX -> timestampUnix;
            case INGESTED_AT -> ingestedAt;
            default -> throw new IllegalArgumentException(field.jsonName() + " is not a bigint");
        };
    }

    /**
     * A trade of the value of each field (as its type's {@link TradeField.Type#java() Java class}), e.g. a Cassandra
     * row's columns.
     *
     * @throws IllegalArgumentException naming the field, when a value is null but the field is not nullable, or is of
     *                                  another class
     */
    public static Trade of(Function<TradeField, Object> values) {
        return new Trade(
                get(values, TradeField.ID),
                get(values, TradeField.SYMBOL),
                get(values, TradeField.PRICE),
                get(values, TradeField.VOLUME),
                get(values, TradeField.TIMESTAMP_UNIX),
                get(values, TradeField.CONDITIONS),
                get(values, TradeField.INGESTED_AT));
    }

    private static <T> T get(Function<TradeField, Object> values, TradeField field) {
        return ColumnValue.checked(
                values.apply(field),
                "trade field",
                field.jsonName(),
                field.nullable(),
                field.type().java());
    }
}
