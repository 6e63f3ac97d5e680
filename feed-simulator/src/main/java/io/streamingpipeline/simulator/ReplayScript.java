package io.streamingpipeline.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames of a JSON-lines file, one frame per non-blank line, sent as they are. Each line is read once, at
 * load time, to know what delivering it means for the ground truth: trade elements with a textual {@code "s"} count
 * as trades of that symbol.
 */
final class ReplayScript {

    enum FrameKind {
        TRADE,
        PING,
        ERROR,
        UNKNOWN_TYPE,
        OTHER
    }

    record Frame(String text, FrameKind kind, Map<String, Integer> tradesBySymbol, List<DeliveredTrade> trades) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Frame> frames;

    private ReplayScript(List<Frame> frames) {
        this.frames = List.copyOf(frames);
    }

    static ReplayScript load(Path file) {
        try {
            List<Frame> frames = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    frames.add(read(line.strip()));
                }
            }
            return new ReplayScript(frames);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay file " + file, e);
        }
    }

    List<Frame> frames() {
        return frames;
    }

    private static Frame read(String line) {
        JsonNode frame;
        try {
            frame = JSON.readTree(line);
        } catch (IOException notJson) {
            return new Frame(line, FrameKind.OTHER, Map.of(), List.of());
        }
        String type = frame != null && frame.path("type").isTextual()
                ? frame.path("type").asText()
                : "";
        switch (type) {
            case "trade":
                return frame.path("data").isArray()
                        ? tradeFrame(line, frame.path("data"))
                        : new Frame(line, FrameKind.OTHER, Map.of(), List.of());
            case "ping":
                return new Frame(line, FrameKind.PING, Map.of(), List.of());
            case "error":
                return new Frame(line, FrameKind.ERROR, Map.of(), List.of());
            case "":
                return new Frame(line, FrameKind.OTHER, Map.of(), List.of());
            default:
                return new Frame(line, FrameKind.UNKNOWN_TYPE, Map.of(), List.of());
        }
    }

    private static Frame tradeFrame(String line, JsonNode data) {
        Map<String, Integer> bySymbol = new LinkedHashMap<>();
        List<DeliveredTrade> trades = new ArrayList<>();
        for (JsonNode element : data) {
            JsonNode symbol = element.path("s");
            if (!symbol.isTextual()) {
                continue;
            }
            bySymbol.merge(symbol.asText(), 1, Integer::sum);
            JsonNode conditions = element.get("c");
            List<String> conditionList = null;
            if (conditions != null && conditions.isArray()) {
                conditionList = new ArrayList<>();
                for (JsonNode condition : conditions) {
                    conditionList.add(condition.asText());
                }
            }
            trades.add(new DeliveredTrade(
                    symbol.asText(),
                    element.path("p").asDouble(),
                    element.path("t").asLong(),
                    element.path("v").asDouble(),
                    conditionList,
                    conditions == null));
        }
        return new Frame(line, FrameKind.TRADE, bySymbol, trades);
    }
}
