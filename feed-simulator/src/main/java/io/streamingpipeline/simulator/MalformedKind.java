package io.streamingpipeline.simulator;

import io.streamingpipeline.contract.RejectReason;

/**
 * The bad frames the simulator injects, in the order it cycles through them, each with the one dead letter
 * the ingestor is expected to produce for it. A bad trade element always comes alone in its frame.
 */
public enum MalformedKind {
    /** An HTML error page instead of JSON. */
    NOT_JSON(RejectReason.MALFORMED_JSON),
    /** {@code "data"} is an object instead of an array. */
    DATA_NOT_ARRAY(RejectReason.MALFORMED_FRAME),
    /** A trade element without {@code "s"}. */
    MISSING_SYMBOL(RejectReason.MISSING_SYMBOL),
    NEGATIVE_PRICE(RejectReason.INVALID_PRICE),
    NEGATIVE_VOLUME(RejectReason.INVALID_VOLUME),
    /** {@code "t"} in seconds instead of milliseconds. */
    TIMESTAMP_IN_SECONDS(RejectReason.INVALID_TIMESTAMP),
    /** {@code "c":[1,2]}: numbers instead of strings. */
    NUMERIC_CONDITIONS(RejectReason.INVALID_CONDITIONS),
    /** A trade frame cut off in the middle. */
    TRUNCATED_JSON(RejectReason.MALFORMED_JSON),
    /** {@code "p":"97123.45"}: a string instead of a number. */
    STRING_PRICE(RejectReason.INVALID_PRICE),
    /** {@code "t"} ten years from now. */
    FAR_FUTURE_TIMESTAMP(RejectReason.INVALID_TIMESTAMP);

    private static final long TEN_YEARS_MS = 10L * 365 * 24 * 3600 * 1000;

    private final RejectReason expectedReason;

    MalformedKind(RejectReason expectedReason) {
        this.expectedReason = expectedReason;
    }

    /** The reason of the one dead letter this frame should produce. */
    public RejectReason expectedReason() {
        return expectedReason;
    }

    /** The frame's text, about a symbol the client subscribed to. */
    String render(PriceWalk walk, long now) {
        StringBuilder out = new StringBuilder(128);
        switch (this) {
            case NOT_JSON -> out.append("<html><body><h1>502 Bad Gateway</h1></body></html>");
            case DATA_NOT_ARRAY -> {
                out.append("{\"type\":\"trade\",\"data\":");
                appendElement(out, walk, true, false, "", now, "0.5", ",\"c\":null");
                out.append('}');
            }
            case MISSING_SYMBOL -> appendFrame(out, walk, false, false, "", now, "0.5", ",\"c\":null");
            case NEGATIVE_PRICE -> appendFrame(out, walk, true, false, "-", now, "0.5", ",\"c\":null");
            case NEGATIVE_VOLUME -> appendFrame(out, walk, true, false, "", now, "-0.5", ",\"c\":null");
            case TIMESTAMP_IN_SECONDS -> appendFrame(out, walk, true, false, "", now / 1000, "0.5", ",\"c\":null");
            case NUMERIC_CONDITIONS -> appendFrame(out, walk, true, false, "", now, "0.5", ",\"c\":[1,2]");
            case TRUNCATED_JSON -> {
                appendFrame(out, walk, true, false, "", now, "0.5", ",\"c\":null");
                out.setLength(out.length() / 2);
            }
            case STRING_PRICE -> appendFrame(out, walk, true, true, "", now, "0.5", ",\"c\":null");
            case FAR_FUTURE_TIMESTAMP -> appendFrame(out, walk, true, false, "", now + TEN_YEARS_MS, "0.5", "");
            default -> throw new IllegalStateException(name());
        }
        return out.toString();
    }

    private static void appendFrame(
            StringBuilder out,
            PriceWalk walk,
            boolean withSymbol,
            boolean priceAsString,
            String priceSign,
            long timestamp,
            String volume,
            String conditions) {
        out.append("{\"type\":\"trade\",\"data\":[");
        appendElement(out, walk, withSymbol, priceAsString, priceSign, timestamp, volume, conditions);
        out.append("]}");
    }

    private static void appendElement(
            StringBuilder out,
            PriceWalk walk,
            boolean withSymbol,
            boolean priceAsString,
            String priceSign,
            long timestamp,
            String volume,
            String conditions) {
        out.append('{');
        if (withSymbol) {
            out.append("\"s\":");
            walk.appendQuotedSymbol(out);
            out.append(',');
        }
        out.append("\"p\":").append(priceAsString ? "\"" : "").append(priceSign);
        walk.appendPrice(out);
        out.append(priceAsString ? "\"" : "")
                .append(",\"t\":")
                .append(timestamp)
                .append(",\"v\":")
                .append(volume)
                .append(conditions)
                .append('}');
    }
}
