package io.streamingpipeline.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.streamingpipeline.contract.testing.TradeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The record, the field-name constants and the JSON schemas must describe the same message. */
class TradeContractTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Schema TRADE_SCHEMA =
            REGISTRY.getSchema(SchemaLocation.of("classpath:" + TradeContract.TRADE_SCHEMA_RESOURCE.substring(1)));
    private static final Schema DEAD_LETTER_SCHEMA = REGISTRY.getSchema(
            SchemaLocation.of("classpath:" + TradeContract.DEAD_LETTER_SCHEMA_RESOURCE.substring(1)));
    private static final UUID V7 = UUID.fromString("019ab2d4-5c1e-7a3b-8c4d-0123456789ab");

    @Test
    void aTradeSerialisesToExactlyTheContractFieldsInOrder() throws Exception {
        Trade trade = TradeBuilder.trade()
                .id(V7)
                .price(97123.45)
                .volume(0.0123)
                .conditions("1", "12")
                .build();
        JsonNode json = MAPPER.readTree(MAPPER.writeValueAsString(trade));
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyElementsOf(TradeContract.Fields.ALL);
        assertThat(json.get(TradeContract.Fields.ID).asText()).isEqualTo(V7.toString());
        assertThat(json.get(TradeContract.Fields.PRICE).asDouble()).isEqualTo(97123.45);
        assertThat(MAPPER.readValue(json.toString(), Trade.class)).isEqualTo(trade);
    }

    @Test
    void serialisedTradesValidateAgainstTheSchema() throws Exception {
        for (Trade t : List.of(
                TradeBuilder.trade()
                        .symbol("AAPL")
                        .volume(0.0)
                        .conditions((List<String>) null)
                        .build(),
                TradeBuilder.trade().price(1e-8).volume(5).conditions().build())) {
            assertThat(TRADE_SCHEMA.validate(MAPPER.writeValueAsString(t), InputFormat.JSON))
                    .isEmpty();
        }
    }

    @Test
    void theSchemaListsExactlyTheContractFields() throws Exception {
        JsonNode schema = MAPPER.readTree(getClass().getResourceAsStream(TradeContract.TRADE_SCHEMA_RESOURCE));
        List<String> properties = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(properties).containsExactlyElementsOf(TradeContract.Fields.ALL);
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(n -> required.add(n.asText()));
        assertThat(required).containsExactlyElementsOf(TradeContract.Fields.ALL);
    }

    @Test
    void theSchemaHasTheLongestSymbolOfTheTradeRecord() throws Exception {
        JsonNode schema = MAPPER.readTree(getClass().getResourceAsStream(TradeContract.TRADE_SCHEMA_RESOURCE));
        assertThat(schema.at("/properties/" + TradeContract.Fields.SYMBOL + "/maxLength")
                        .asInt())
                .isEqualTo(Trade.MAX_SYMBOL_CHARS);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"id\":\"019ab2d4-5c1e-7a3b-8c4d-0123456789ab\",\"symbol\":\"A\",\"price\":0,\"volume\":1,\"timestamp_unix\":1,\"conditions\":null,\"ingested_at\":1}",
                "{\"id\":\"019ab2d4-5c1e-7a3b-8c4d-0123456789ab\",\"symbol\":\"\",\"price\":1,\"volume\":1,\"timestamp_unix\":1,\"conditions\":null,\"ingested_at\":1}",
                "{\"id\":\"019ab2d4-5c1e-4a3b-8c4d-0123456789ab\",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"timestamp_unix\":1,\"conditions\":null,\"ingested_at\":1}",
                "{\"symbol\":\"A\",\"price\":1,\"volume\":1,\"timestamp_unix\":1,\"conditions\":null,\"ingested_at\":1}",
                "{\"id\":\"019ab2d4-5c1e-7a3b-8c4d-0123456789ab\",\"symbol\":\"A\",\"price\":1,\"volume\":-1,\"timestamp_unix\":1,\"conditions\":null,\"ingested_at\":1}",
                "{\"id\":\"019ab2d4-5c1e-7a3b-8c4d-0123456789ab\",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"timestamp_unix\":1.5,\"conditions\":null,\"ingested_at\":1}",
                "{\"id\":\"019ab2d4-5c1e-7a3b-8c4d-0123456789ab\",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"timestamp_unix\":1,\"conditions\":[1],\"ingested_at\":1}",
                "{\"id\":\"019ab2d4-5c1e-7a3b-8c4d-0123456789ab\",\"symbol\":\"A\",\"price\":1,\"volume\":1,\"timestamp_unix\":1,\"conditions\":null,\"ingested_at\":1,\"extra\":1}"
            })
    void theSchemaRefusesBrokenTrades(String json) {
        assertThat(TRADE_SCHEMA.validate(json, InputFormat.JSON)).isNotEmpty();
    }

    @Test
    void deadLettersValidateForEveryReason() throws Exception {
        for (RejectReason reason : RejectReason.values()) {
            DeadLetter letter = new DeadLetter(reason.label(), "why", "{raw", "ingestor", 1764000000000L);
            assertThat(DEAD_LETTER_SCHEMA.validate(MAPPER.writeValueAsString(letter), InputFormat.JSON))
                    .isEmpty();
        }
        assertThat(DEAD_LETTER_SCHEMA.validate(
                        "{\"reason\":\"x\",\"detail\":\"\",\"raw\":\"\",\"source\":\"elsewhere\",\"rejected_at\":1}",
                        InputFormat.JSON))
                .isNotEmpty();
    }
}
