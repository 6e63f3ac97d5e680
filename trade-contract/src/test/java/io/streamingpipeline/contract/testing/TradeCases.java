package io.streamingpipeline.contract.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The contract's table of trade cases ({@value #RESOURCE}), each a record and the reject reason every stage's
 * validation must give it, for the tests of every module (the contract's test-jar). A case is either a raw text or the
 * table's base record with fields set or removed.
 *
 * @param referenceMillis the "now" of the table's time rules
 * @param maxFutureSkew   how far ahead of that a trade time may be
 */
public record TradeCases(long referenceMillis, Duration maxFutureSkew, List<TradeCase> cases) {

    public static final String RESOURCE = "/contract/trade-cases.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * One case.
     *
     * @param raw         the record's text as it stands in the table, or null for a case derived from the base record
     * @param base        the table's base record (every field of a valid trade, by JSON name)
     * @param set         fields set on the base record, by JSON name, in the table's order
     * @param remove      fields removed from the base record
     * @param reason      the expected reject reason's label, null for a valid trade
     * @param schemaValid false for a valid trade the JSON schema refuses all the same (e.g. a symbol with a NUL)
     */
    public record TradeCase(
            String name,
            String raw,
            ObjectNode base,
            Map<String, JsonNode> set,
            List<String> remove,
            String reason,
            boolean schemaValid) {

        /** The record's text: the raw text, or the base record with the case's fields set and removed. */
        public String record() {
            return raw != null ? raw : recordWithNames(UnaryOperator.identity());
        }

        /** The JSON names of the fields the case sets or removes (none for a raw case). */
        public Set<String> touchedFields() {
            Set<String> touched = new LinkedHashSet<>(set.keySet());
            touched.addAll(remove);
            return touched;
        }

        /**
         * The base record with the case applied, each field named by {@code rename} (e.g. the field's name in another
         * format); a field that {@code rename} maps to null is left out. Not for a raw case.
         */
        public String recordWithNames(UnaryOperator<String> rename) {
            if (raw != null) {
                throw new IllegalStateException("case " + name + " is a raw text");
            }
            ObjectNode record = MAPPER.createObjectNode();
            base.fields().forEachRemaining(f -> put(record, rename.apply(f.getKey()), f.getValue()));
            set.forEach((field, value) -> put(record, rename.apply(field), value));
            remove.forEach(field -> {
                String renamed = rename.apply(field);
                if (renamed != null) {
                    record.remove(renamed);
                }
            });
            try {
                return MAPPER.writeValueAsString(record);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void put(ObjectNode record, String name, JsonNode value) {
            if (name != null) {
                record.set(name, value);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The table, read from the contract's jar. */
    public static TradeCases load() {
        try (InputStream in = TradeCases.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (the trade-contract jar)");
            }
            JsonNode table = MAPPER.readTree(in);
            ObjectNode base = (ObjectNode) table.get("base");
            List<TradeCase> cases = new ArrayList<>();
            for (JsonNode c : table.get("cases")) {
                Map<String, JsonNode> set = new LinkedHashMap<>();
                c.path("set").fields().forEachRemaining(f -> set.put(f.getKey(), f.getValue()));
                List<String> remove = new ArrayList<>();
                c.path("remove").forEach(f -> remove.add(f.textValue()));
                cases.add(new TradeCase(
                        c.get("name").textValue(),
                        c.has("raw") ? c.get("raw").textValue() : null,
                        base,
                        Collections.unmodifiableMap(set),
                        List.copyOf(remove),
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
