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
@JsonPropertyOrder({TradeContract.DeadLetterFields.REASON, TradeContract.DeadLetterFields.DETAIL,
        TradeContract.DeadLetterFields.RAW, TradeContract.DeadLetterFields.SOURCE,
        TradeContract.DeadLetterFields.REJECTED_AT})
public record DeadLetter(
        @JsonProperty(TradeContract.DeadLetterFields.REASON) String reason,
        @JsonProperty(TradeContract.DeadLetterFields.DETAIL) String detail,
        @JsonProperty(TradeContract.DeadLetterFields.RAW) String raw,
        @JsonProperty(TradeContract.DeadLetterFields.SOURCE) String source,
        @JsonProperty(TradeContract.DeadLetterFields.REJECTED_AT) long rejectedAt) {

    /** Kafka's default record limit is 1 MiB: a dead letter keeps at most this many characters of the raw text. */
    public static final int MAX_RAW_CHARS = 256 * 1024;
    /** Appended to a raw text cut at {@link #MAX_RAW_CHARS}. */
    public static final String TRUNCATED_MARK = "…[truncated]";
}
