package io.streamingpipeline.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A rejected frame or trade, as written to {@link TradeContract#DEAD_LETTER_TOPIC}.
 *
 * @param reason     a short machine-readable reason, see {@link RejectReason}
 * @param detail     a human-readable explanation (never contains secrets)
 * @param raw        the raw text as received (a whole frame, or one trade element of a frame)
 * @param source     which stage rejected it: {@code ingestor} or {@code spark}
 * @param rejectedAt UNIX milliseconds
 */
@JsonPropertyOrder({
    TradeContract.DeadLetterFields.REASON,
    TradeContract.DeadLetterFields.DETAIL,
    TradeContract.DeadLetterFields.RAW,
    TradeContract.DeadLetterFields.SOURCE,
    TradeContract.DeadLetterFields.REJECTED_AT
})
public record DeadLetter(
        @JsonProperty(TradeContract.DeadLetterFields.REASON) String reason,
        @JsonProperty(TradeContract.DeadLetterFields.DETAIL) String detail,
        @JsonProperty(TradeContract.DeadLetterFields.RAW) String raw,
        @JsonProperty(TradeContract.DeadLetterFields.SOURCE) String source,

        @JsonProperty(TradeContract.DeadLetterFields.REJECTED_AT)
        long rejectedAt) {

    /** A dead letter keeps at most this many characters of the raw text (and fewer if they escape to more bytes). */
    public static final int MAX_RAW_CHARS = 256 * 1024;
    /** Appended to a raw text (or detail) that was cut. */
    public static final String TRUNCATED_MARK = "…[truncated]";
    /**
     * The most bytes of a dead letter's Kafka key and JSON value together ({@link DeadLetterJson}), whatever the
     * rejected record held: half of Kafka's default 1 MiB limits, so that a dead-letter topic and producer with the
     * defaults ({@code max.message.bytes}, {@code max.request.size}) always take it with room for the record's
     * framing, {@link #RECORD_OVERHEAD_BYTES}.
     */
    public static final int MAX_RECORD_BYTES = 512 * 1024;
    /** A dead letter's key is the rejected record's key, cut to this many bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /** A dead letter's detail is cut to this many characters. */
    public static final int MAX_DETAIL_CHARS = 1024;
    /**
     * More than Kafka adds to a record's key and value (record and batch headers, headers of the producer's own):
     * a topic's {@code max.message.bytes} and a producer's {@code max.request.size} need at least
     * {@link #MAX_RECORD_BYTES} plus this.
     */
    public static final int RECORD_OVERHEAD_BYTES = 1024;
}
