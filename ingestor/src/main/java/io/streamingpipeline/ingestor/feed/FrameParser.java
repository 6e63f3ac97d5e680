package io.streamingpipeline.ingestor.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.TradeValidation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads Finnhub frames ({@code ../shared/finnhub-protocol.md}) and validates every trade in them. It never throws
 * on input: anything unreadable comes back as a {@link Rejection}.
 *
 * <p>A trade frame whose trades are all valid, the feed's usual message, is read by {@link TradeFrameReader} without a
 * tree. Any other message, or a trade frame with one bad element, is read into a Jackson tree, which decides what is
 * rejected and keeps each rejected element's text for the dead letter.
 */
public final class FrameParser {

    private static final Pattern TYPE_LABEL = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final TradeField[] FIELDS = TradeField.values();
    private static final String FINNHUB_FIELDS = " (Finnhub fields " + String.join(", ", FinnhubFields.keys()) + ")";

    private final ObjectMapper mapper;
    private final TradeFrameReader reader;
    private final Supplier<UUID> ids;
    private final Duration maxFutureSkew;

    public FrameParser(ObjectMapper mapper, Supplier<UUID> ids, Duration maxFutureSkew) {
        this.mapper = mapper;
        this.reader = new TradeFrameReader(mapper.getFactory());
        this.ids = ids;
        this.maxFutureSkew = maxFutureSkew;
    }

    public Frame parse(String text, long receivedAtMillis) {
        List<Object[]> feedValues = reader.read(text);
        if (feedValues != null) {
            Frame.Trades allValid = allValid(feedValues, receivedAtMillis);
            if (allValid != null) {
                return allValid;
            }
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return unreadable(RejectReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), text);
        }
        if (root == null || !root.isObject()) {
            return unreadable(RejectReason.MALFORMED_JSON, "not a JSON object", text);
        }
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            return unreadable(RejectReason.MALFORMED_FRAME, "no \"type\" string", text);
        }
        return switch (type.textValue()) {
            case "trade" -> trades(root, text, receivedAtMillis);
            case "ping" -> new Frame.Ping();
            case "error" -> new Frame.Error(root.path("msg").asText(""));
            default -> new Frame.Unknown(typeLabel(type.textValue()));
        };
    }

    private Frame trades(JsonNode root, String text, long receivedAtMillis) {
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            return unreadable(RejectReason.MALFORMED_FRAME, "trade frame without a \"data\" array", text);
        }
        List<Trade> valid = new ArrayList<>(data.size());
        List<Rejection> rejected = new ArrayList<>(0);
        for (JsonNode element : data) {
            Object result = trade(element, receivedAtMillis);
            if (result instanceof Trade t) {
                valid.add(t);
            } else {
                rejected.add((Rejection) result);
            }
        }
        return new Frame.Trades(valid, rejected);
    }

    /** The trades of a frame read without a tree; null if one of them is invalid (the tree then says which). */
    private Frame.Trades allValid(List<Object[]> feedValues, long receivedAtMillis) {
        for (Object[] values : feedValues) {
            if (check(values, receivedAtMillis) != null) {
                return null;
            }
        }
        List<Trade> valid = new ArrayList<>(feedValues.size());
        for (Object[] values : feedValues) {
            valid.add(trade(values, receivedAtMillis));
        }
        return new Frame.Trades(valid, List.of());
    }

    /** Returns a {@link Trade} or a {@link Rejection}: the contract's {@link TradeValidation} of the feed's fields. */
    private Object trade(JsonNode e, long receivedAtMillis) {
        if (!e.isObject()) {
            return reject(RejectReason.MALFORMED_FRAME, "a \"data\" element is not an object", e);
        }
        // each value read once: the validation and the trade both ask for it
        Object[] values = new Object[FIELDS.length];
        for (TradeField field : FIELDS) {
            String key = FinnhubFields.key(field);
            values[field.ordinal()] = key == null ? TradeValidation.ABSENT : TradeValidation.valueOf(e.get(key));
        }
        TradeValidation.Rejection rejection = check(values, receivedAtMillis);
        if (rejection != null) {
            return reject(rejection.reason(), rejection.detail() + FINNHUB_FIELDS, e);
        }
        return trade(values, receivedAtMillis);
    }

    /** @param values the feed's value of each field at its ordinal */
    private TradeValidation.Rejection check(Object[] values, long receivedAtMillis) {
        return TradeValidation.checkFeedFields(field -> values[field.ordinal()], receivedAtMillis, maxFutureSkew);
    }

    /** A trade from values {@link #check} accepted. */
    private Trade trade(Object[] values, long receivedAtMillis) {
        UUID id = ids.get();
        return Trade.of(field -> switch (field) {
            case ID -> id;
            case INGESTED_AT -> receivedAtMillis;
            default -> field.fromJson(values[field.ordinal()]);
        });
    }

    private static Rejection reject(RejectReason reason, String detail, JsonNode element) {
        return new Rejection(reason, detail, truncate(element.toString()));
    }

    private static Frame unreadable(RejectReason reason, String detail, String text) {
        return new Frame.Unreadable(new Rejection(reason, detail, truncate(text)));
    }

    static String truncate(String raw) {
        return raw.length() <= DeadLetter.MAX_RAW_CHARS
                ? raw
                : raw.substring(0, DeadLetter.MAX_RAW_CHARS) + DeadLetter.TRUNCATED_MARK;
    }

    /** Metric labels must stay few: a type that does not look like a type name is counted as "other". */
    static String typeLabel(String type) {
        return TYPE_LABEL.matcher(type).matches() ? type : "other";
    }
}
