package io.streamingpipeline.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamingpipeline.contract.RejectReason;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulator delivered: only frames whose write completed on the connection are counted. An immutable
 * snapshot; also the JSON of {@code GET /ground-truth} (field names as below, maps sorted by key).
 *
 * @param totalTrades          trade elements delivered in {@code "trade"} frames (sum of {@code tradesBySymbol})
 * @param tradeFrames          {@code "trade"} frames delivered (generated or replayed), malformed ones excluded
 * @param pings                {@code {"type":"ping"}} frames delivered
 * @param connectionsAccepted  websocket handshakes that succeeded
 * @param handshakesRejected   handshakes refused with HTTP 401
 * @param drops                connections dropped on purpose (any {@link DropMode})
 * @param subscribes           symbols subscribed (a repeated subscribe to the same symbol is not counted)
 * @param tooManySymbolsErrors {@code "Subscribing to too many symbols"} error frames delivered
 * @param errorFrames          other (injected) {@code "error"} frames delivered
 * @param unknownTypeFrames    frames of a type the ingestor should count and skip ({@code "news"})
 * @param malformedFrames      malformed frames delivered (sum of {@code malformedByReason})
 * @param replayFrames         replayed lines delivered, whatever they held
 * @param tradesBySymbol       trade elements delivered, by symbol
 * @param malformedByReason    malformed frames delivered, by the {@link RejectReason#label()} the ingestor should give
 */
public record GroundTruth(
        long totalTrades,
        long tradeFrames,
        long pings,
        long connectionsAccepted,
        long handshakesRejected,
        long drops,
        long subscribes,
        long tooManySymbolsErrors,
        long errorFrames,
        long unknownTypeFrames,
        long malformedFrames,
        long replayFrames,
        Map<String, Long> tradesBySymbol,
        Map<String, Long> malformedByReason) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public GroundTruth {
        tradesBySymbol = Map.copyOf(tradesBySymbol);
        malformedByReason = Map.copyOf(malformedByReason);
    }

    /** Trades delivered for one symbol, 0 if none. */
    public long trades(String symbol) {
        return tradesBySymbol.getOrDefault(symbol, 0L);
    }

    /** Malformed frames delivered that should be dead-lettered with this reason. */
    public long malformed(RejectReason reason) {
        return malformedByReason.getOrDefault(reason.label(), 0L);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GroundTruth fromJson(String json) {
        try {
            return JSON.readValue(json, GroundTruth.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line for a console. */
    public String summaryLine() {
        return "trades=" + totalTrades + " tradeFrames=" + tradeFrames + " pings=" + pings
                + " connections=" + connectionsAccepted + " rejectedHandshakes=" + handshakesRejected
                + " drops=" + drops + " subscribes=" + subscribes + " tooManySymbols=" + tooManySymbolsErrors
                + " errors=" + errorFrames + " unknownType=" + unknownTypeFrames + " malformed=" + malformedFrames
                + " replayFrames=" + replayFrames + " bySymbol=" + new TreeMap<>(tradesBySymbol)
                + (malformedFrames > 0 ? " malformedByReason=" + new TreeMap<>(malformedByReason) : "");
    }
}
