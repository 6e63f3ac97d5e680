package io.streamingpipeline.ingestor.feed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.Trade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads Finnhub frames ({@code ../shared/finnhub-protocol.md}) and validates every trade in them. It never throws
 * on input: anything unreadable comes back as a {@link Rejection}.
 */
public final class FrameParser {

    private static final Pattern TYPE_LABEL = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private final ObjectMapper mapper;
    private final Supplier<UUID> ids;
    private final long maxFutureSkewMillis;

    public FrameParser(ObjectMapper mapper, Supplier<UUID> ids, Duration maxFutureSkew) {
        this.mapper = mapper;
        this.ids = ids;
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    }

    public Frame parse(String text, long receivedAtMillis) {
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

    /** Returns a {@link Trade} or a {@link Rejection}. */
    private Object trade(JsonNode e, long receivedAtMillis) {
        if (!e.isObject()) {
            return reject(RejectReason.MALFORMED_FRAME, "a \"data\" element is not an object", e);
        }
        JsonNode s = e.get("s");
        if (s == null || !s.isTextual() || s.textValue().isBlank()) {
            return reject(RejectReason.MISSING_SYMBOL, "\"s\" must be a non-empty string", e);
        }
        String symbol = s.textValue();
        if (symbol.length() > Trade.MAX_SYMBOL_CHARS) {
            return reject(RejectReason.MISSING_SYMBOL, "\"s\" is longer than " + Trade.MAX_SYMBOL_CHARS + " characters", e);
        }
        JsonNode p = e.get("p");
        if (p == null || !p.isNumber() || !Double.isFinite(p.doubleValue()) || p.doubleValue() <= 0) {
            return reject(RejectReason.INVALID_PRICE, "\"p\" must be a finite number > 0, was " + shortText(p), e);
        }
        JsonNode v = e.get("v");
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue()) || v.doubleValue() < 0) {
            return reject(RejectReason.INVALID_VOLUME, "\"v\" must be a finite number >= 0, was " + shortText(v), e);
        }
        JsonNode t = e.get("t");
        if (t == null || !t.isIntegralNumber() || !t.canConvertToLong()) {
            return reject(RejectReason.INVALID_TIMESTAMP, "\"t\" must be an integer of UNIX milliseconds, was " + shortText(t), e);
        }
        long millis = t.longValue();
        if (millis < Trade.EARLIEST_PLAUSIBLE_MILLIS || millis > receivedAtMillis + maxFutureSkewMillis) {
            return reject(RejectReason.INVALID_TIMESTAMP, "\"t\" = " + millis + " is not a plausible time in UNIX milliseconds", e);
        }
        JsonNode c = e.get("c");
        List<String> conditions = null;
        if (c != null && !c.isNull()) {
            if (!c.isArray()) {
                return reject(RejectReason.INVALID_CONDITIONS, "\"c\" must be an array of strings or null", e);
            }
            conditions = new ArrayList<>(c.size());
            for (JsonNode code : c) {
                if (!code.isTextual()) {
                    return reject(RejectReason.INVALID_CONDITIONS, "\"c\" must hold strings only, found " + shortText(code), e);
                }
                conditions.add(code.textValue());
            }
        }
        return new Trade(ids.get(), symbol, p.doubleValue(), v.doubleValue(), millis, conditions, receivedAtMillis);
    }

    private static Rejection reject(RejectReason reason, String detail, JsonNode element) {
        return new Rejection(reason, detail, truncate(element.toString()));
    }

    private static Frame unreadable(RejectReason reason, String detail, String text) {
        return new Frame.Unreadable(new Rejection(reason, detail, truncate(text)));
    }

    private static String shortText(JsonNode n) {
        if (n == null) {
            return "absent";
        }
        String s = n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    static String truncate(String raw) {
        return raw.length() <= DeadLetter.MAX_RAW_CHARS ? raw
                : raw.substring(0, DeadLetter.MAX_RAW_CHARS) + DeadLetter.TRUNCATED_MARK;
    }

    /** Metric labels must stay few: a type that does not look like a type name is counted as "other". */
    static String typeLabel(String type) {
        return TYPE_LABEL.matcher(type).matches() ? type : "other";
    }
}
