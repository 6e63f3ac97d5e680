package io.streamingpipeline.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The table of trade cases ({@code /contract/trade-cases.json}), each as a record text and the reason it must get. */
record TradeCases(long referenceMillis, Duration maxFutureSkew, List<TradeCase> cases) {

    static final String RESOURCE = "/contract/trade-cases.json";

    /** @param reason the expected reject reason's label, null for a valid trade */
    record TradeCase(String name, String record, String reason, boolean schemaValid) {
        @Override
        public String toString() {
            return name;
        }
    }

    static TradeCases load() {
        ObjectMapper mapper = new ObjectMapper();
        try (InputStream in = TradeCases.class.getResourceAsStream(RESOURCE)) {
            JsonNode table = mapper.readTree(in);
            ObjectNode base = (ObjectNode) table.get("base");
            List<TradeCase> cases = new ArrayList<>();
            for (JsonNode c : table.get("cases")) {
                String record;
                if (c.has("raw")) {
                    record = c.get("raw").textValue();
                } else {
                    ObjectNode trade = base.deepCopy();
                    c.path("set").fields().forEachRemaining(f -> trade.set(f.getKey(), f.getValue()));
                    c.path("remove").forEach(f -> trade.remove(f.textValue()));
                    record = mapper.writeValueAsString(trade);
                }
                cases.add(new TradeCase(
                        c.get("name").textValue(),
                        record,
                        c.get("reason").isNull() ? null : c.get("reason").textValue(),
                        c.path("schema_valid").asBoolean(true)));
            }
            return new TradeCases(
                    table.get("reference_millis").longValue(),
                    Duration.ofSeconds(table.get("max_future_skew_seconds").longValue()),
                    List.copyOf(cases));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
