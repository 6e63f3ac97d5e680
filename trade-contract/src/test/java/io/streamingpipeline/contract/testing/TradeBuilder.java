package io.streamingpipeline.contract.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Trades for tests, in every module (the contract's test-jar): a valid trade with every field set and no two fields
 * alike, any field changed, as a {@link Trade}, as the JSON the ingestor writes, or as that JSON with one field's text
 * replaced or removed. A field without a default of its own gets {@link TradeField#sampleValue}, so a new field needs
 * no change here.
 */
public final class TradeBuilder {

    /** 2025-11-24T16:00:00Z, the default trade time. */
    public static final long T0 = 1_764_000_000_000L;
    /** How long after its trade time a trade is ingested, unless set. */
    public static final long INGEST_DELAY_MILLIS = 50;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<TradeField, Object> values = new EnumMap<>(TradeField.class);

    private TradeBuilder() {
        for (TradeField field : TradeField.values()) {
            values.put(field, defaultValue(field));
        }
        values.remove(TradeField.INGESTED_AT); // follows the trade time until set
    }

    /**
     * A valid trade: id {@link #uuid(int) uuid(1)}, {@code BINANCE:BTCUSDT}, price 97000.5, volume 0.25, at {@link #T0},
     * conditions {@code ["1","12"]}, ingested {@value #INGEST_DELAY_MILLIS} ms after its time.
     */
    public static TradeBuilder trade() {
        return new TradeBuilder();
    }

    /** A UUIDv7 (lower case) whose order follows {@code n}. */
    public static UUID uuid(int n) {
        return UUID.fromString(String.format(Locale.ROOT, "019ab2d4-5c1e-7a3b-8c4d-%012x", n));
    }

    public TradeBuilder id(UUID id) {
        return with(TradeField.ID, id);
    }

    public TradeBuilder id(int n) {
        return id(uuid(n));
    }

    public TradeBuilder id(String id) {
        return id(UUID.fromString(id));
    }

    public TradeBuilder symbol(String symbol) {
        return with(TradeField.SYMBOL, symbol);
    }

    public TradeBuilder price(double price) {
        return with(TradeField.PRICE, price);
    }

    public TradeBuilder volume(double volume) {
        return with(TradeField.VOLUME, volume);
    }

    public TradeBuilder timestampUnix(long millis) {
        return with(TradeField.TIMESTAMP_UNIX, millis);
    }

    /** Null for a trade without conditions. */
    public TradeBuilder conditions(List<String> conditions) {
        return with(TradeField.CONDITIONS, conditions);
    }

    public TradeBuilder conditions(String... conditions) {
        return conditions(List.of(conditions));
    }

    public TradeBuilder ingestedAt(long millis) {
        return with(TradeField.INGESTED_AT, millis);
    }

    /** Any field, as its type's Java class ({@link TradeField.Type#java()}). */
    public TradeBuilder with(TradeField field, Object value) {
        values.put(field, value);
        return this;
    }

    public Trade build() {
        return Trade.of(this::value);
    }

    /** The trade as the ingestor writes it to Kafka: every field, in order. */
    public String json() {
        return jsonWith(null, null);
    }

    public byte[] jsonBytes() {
        return json().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@link #json()} with the text of one field replaced by {@code rawJson} (any text, valid JSON or not), or removed
     * when {@code rawJson} is null; a name the contract does not have is added at the end.
     */
    public String jsonWith(String field, String rawJson) {
        Trade trade = build();
        Map<String, String> texts = new LinkedHashMap<>();
        for (TradeField f : TradeField.values()) {
            texts.put(f.jsonName(), text(trade.value(f)));
        }
        if (field != null) {
            if (rawJson == null) {
                texts.remove(field);
            } else {
                texts.put(field, rawJson);
            }
        }
        return texts.entrySet().stream()
                .map(e -> text(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private Object value(TradeField field) {
        if (field == TradeField.INGESTED_AT && !values.containsKey(field)) {
            return (Long) values.get(TradeField.TIMESTAMP_UNIX) + INGEST_DELAY_MILLIS;
        }
        return values.get(field);
    }

    private static Object defaultValue(TradeField field) {
        return switch (field) {
            case ID -> uuid(1);
            case SYMBOL -> "BINANCE:BTCUSDT";
            case PRICE -> 97000.5;
            case VOLUME -> 0.25;
            case TIMESTAMP_UNIX -> T0;
            case CONDITIONS -> List.of("1", "12");
            default -> field.sampleValue(T0);
        };
    }

    private static String text(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e);
        }
    }
}
