package io.streamingpipeline.contract;

import java.util.Locale;

/** Why a frame or a trade was rejected; the label of the rejection metrics and the DLQ's {@code reason}. */
public enum RejectReason {
    /** Not JSON, not one object with each field once, or (a record on Kafka) {@code ingested_at} not an integer &ge; 0. */
    MALFORMED_JSON,
    /** A trade frame without a usable {@code data} array. */
    MALFORMED_FRAME,
    MISSING_SYMBOL,
    INVALID_PRICE,
    INVALID_VOLUME,
    INVALID_TIMESTAMP,
    INVALID_CONDITIONS,
    /** A valid trade larger than a Kafka request may be (the ingestor's producer refused it). */
    TOO_LARGE,
    /** A trade record on Kafka whose {@code id} is missing or not a lower-case UUIDv7 (checked by the Spark job). */
    INVALID_ID;

    /** The label used in metrics and in the dead-letter record, e.g. {@code invalid_price}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
