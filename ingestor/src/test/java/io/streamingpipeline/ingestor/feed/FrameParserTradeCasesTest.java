package io.streamingpipeline.ingestor.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamingpipeline.contract.TradeField;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's table of trade cases ({@code /contract/trade-cases.json}, also run against the contract and the
 * Spark job) against the frame parser: every case that changes only fields a feed sends ({@link FinnhubFields}), as one
 * trade of a frame, gets the table's reason (valid: one trade).
 */
class FrameParserTradeCasesTest {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Contract field -> Finnhub field. */
    private static final Map<String, String> FEED_FIELDS = Arrays.stream(TradeField.values())
            .filter(f -> FinnhubFields.key(f) != null)
            .collect(Collectors.toMap(TradeField::jsonName, FinnhubFields::key));

    record FeedCase(String name, String element, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static JsonNode table() throws Exception {
        try (InputStream in = FrameParserTradeCasesTest.class.getResourceAsStream("/contract/trade-cases.json")) {
            return MAPPER.readTree(in);
        }
    }

    static List<FeedCase> cases() throws Exception {
        JsonNode table = table();
        ObjectNode base = MAPPER.createObjectNode();
        FEED_FIELDS.forEach((contract, feed) -> base.set(feed, table.get("base").get(contract)));
        List<FeedCase> cases = new ArrayList<>();
        for (JsonNode c : table.get("cases")) {
            Set<String> touched = new java.util.HashSet<>();
            c.path("set").fieldNames().forEachRemaining(touched::add);
            c.path("remove").forEach(f -> touched.add(f.textValue()));
            if (c.has("raw") || !FEED_FIELDS.keySet().containsAll(touched)) {
                continue;
            }
            ObjectNode element = base.deepCopy();
            c.path("set").fields().forEachRemaining(f -> element.set(FEED_FIELDS.get(f.getKey()), f.getValue()));
            c.path("remove").forEach(f -> element.remove(FEED_FIELDS.get(f.textValue())));
            cases.add(new FeedCase(
                    c.get("name").textValue(),
                    MAPPER.writeValueAsString(element),
                    c.get("reason").isNull() ? null : c.get("reason").textValue()));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFrameParserGivesEachFeedTradeTheReasonOfTheTable(FeedCase c) throws Exception {
        JsonNode table = table();
        FrameParser parser = new FrameParser(
                MAPPER,
                () -> new UUID(0x7000, 1),
                Duration.ofSeconds(table.get("max_future_skew_seconds").longValue()));
        Frame.Trades trades = (Frame.Trades) parser.parse(
                "{\"type\":\"trade\",\"data\":[" + c.element() + "]}",
                table.get("reference_millis").longValue());
        if (c.reason() == null) {
            assertThat(trades.rejected()).as(c.element()).isEmpty();
            assertThat(trades.valid()).hasSize(1);
        } else {
            assertThat(trades.rejected())
                    .as(c.element())
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason().label()).isEqualTo(c.reason()));
        }
    }
}
