package io.streamingpipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.RejectReason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** An independent reading of a frame by the protocol's rules, as the ingestor is expected to read it. */
final class FrameClassifier {

    enum Kind {
        TRADE,
        PING,
        ERROR,
        UNKNOWN_TYPE,
        REJECTED
    }

    record ReceivedTrade(
            String symbol,
            double price,
            long timestamp,
            double volume,
            List<String> conditions,
            boolean conditionsAbsent,
            String raw) {

        DeliveredTrade asDelivered() {
            return new DeliveredTrade(symbol, price, timestamp, volume, conditions, conditionsAbsent);
        }
    }

    /** A frame: its kind, its valid trades, and the reason of each dead letter it should produce. */
    record Classified(Kind kind, JsonNode json, List<ReceivedTrade> trades, List<RejectReason> rejections) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long YEAR_2001_MS = 978_307_200_000L;
    private static final long ONE_DAY_MS = 24L * 3600 * 1000;

    private FrameClassifier() {}

    static Classified classify(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (IOException e) {
            frame = null;
        }
        if (frame == null || !frame.isObject()) {
            return rejected(frame, RejectReason.MALFORMED_JSON);
        }
        switch (frame.path("type").asText("")) {
            case "ping":
                return new Classified(Kind.PING, frame, List.of(), List.of());
            case "error":
                return new Classified(Kind.ERROR, frame, List.of(), List.of());
            case "trade":
                break;
            default:
                return new Classified(Kind.UNKNOWN_TYPE, frame, List.of(), List.of());
        }
        JsonNode data = frame.get("data");
        if (data == null || !data.isArray()) {
            return rejected(frame, RejectReason.MALFORMED_FRAME);
        }
        List<ReceivedTrade> trades = new ArrayList<>();
        List<RejectReason> rejections = new ArrayList<>();
        for (JsonNode element : data) {
            RejectReason reason = problemOf(element);
            if (reason != null) {
                rejections.add(reason);
            } else {
                trades.add(trade(element));
            }
        }
        return new Classified(rejections.isEmpty() ? Kind.TRADE : Kind.REJECTED, frame, trades, rejections);
    }

    private static Classified rejected(JsonNode frame, RejectReason reason) {
        return new Classified(Kind.REJECTED, frame, List.of(), List.of(reason));
    }

    private static RejectReason problemOf(JsonNode element) {
        if (!element.path("s").isTextual() || element.path("s").asText().isEmpty()) {
            return RejectReason.MISSING_SYMBOL;
        }
        JsonNode price = element.path("p");
        if (!price.isNumber() || !(price.asDouble() > 0) || Double.isInfinite(price.asDouble())) {
            return RejectReason.INVALID_PRICE;
        }
        JsonNode volume = element.path("v");
        if (!volume.isNumber() || !(volume.asDouble() >= 0)) {
            return RejectReason.INVALID_VOLUME;
        }
        JsonNode timestamp = element.path("t");
        if (!timestamp.isIntegralNumber()
                || timestamp.asLong() < YEAR_2001_MS
                || timestamp.asLong() > System.currentTimeMillis() + ONE_DAY_MS) {
            return RejectReason.INVALID_TIMESTAMP;
        }
        JsonNode conditions = element.get("c");
        if (conditions != null && !conditions.isNull()) {
            if (!conditions.isArray()) {
                return RejectReason.INVALID_CONDITIONS;
            }
            for (JsonNode condition : conditions) {
                if (!condition.isTextual()) {
                    return RejectReason.INVALID_CONDITIONS;
                }
            }
        }
        return null;
    }

    private static ReceivedTrade trade(JsonNode element) {
        JsonNode conditions = element.get("c");
        List<String> conditionList = null;
        if (conditions != null && conditions.isArray()) {
            conditionList = new ArrayList<>();
            for (JsonNode condition : conditions) {
                conditionList.add(condition.asText());
            }
        }
        return new ReceivedTrade(
                element.get("s").asText(),
                element.get("p").asDouble(),
                element.get("t").asLong(),
                element.get("v").asDouble(),
                conditionList,
                conditions == null,
                element.toString());
    }
}
