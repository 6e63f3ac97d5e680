package io.streamingpipeline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.UUID;

/**
 * One trade as it travels through Kafka (the value of a record on {@link TradeContract#TRADES_TOPIC}); the rules of a
 * valid one are {@link TradeValidation}'s.
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
}
