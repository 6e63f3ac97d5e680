package io.streamingpipeline.ingestor.feed;

import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.TradeValidation;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where each field of a trade comes from in a Finnhub trade ({@code ../shared/finnhub-protocol.md}): the key of the
 * {@code data} element, or none for the fields the ingestor assigns ({@link TradeValidation#INGESTOR_FIELDS}). A
 * field added to the contract does not compile here until it has a source.
 */
public final class FinnhubFields {

    private FinnhubFields() {}

    /** The key of a Finnhub trade element that holds the field; null for a field the ingestor assigns. */
    public static String key(TradeField field) {
        return switch (field) {
            case SYMBOL -> "s";
            case PRICE -> "p";
            case VOLUME -> "v";
            case TIMESTAMP_UNIX -> "t";
            case CONDITIONS -> "c";
            case ID, INGESTED_AT -> null;
        };
    }

    /** The keys of the fields a Finnhub trade gives, in {@link TradeField} order. */
    public static List<String> keys() {
        return Arrays.stream(TradeField.values())
                .map(FinnhubFields::key)
                .filter(Objects::nonNull)
                .toList();
    }
}
