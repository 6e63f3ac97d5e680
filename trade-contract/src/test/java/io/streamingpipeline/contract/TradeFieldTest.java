package io.streamingpipeline.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.testing.TradeBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JSON schema file, the CQL file and the {@link Trade} record against the one list of fields. */
class TradeFieldTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theJsonSchemaHasExactlyTheFieldsInOrderAllRequired() throws Exception {
        JsonNode schema = schema();
        List<String> properties = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        assertThat(properties).containsExactlyElementsOf(TradeField.jsonNames());
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(n -> required.add(n.asText()));
        assertThat(required).containsExactlyElementsOf(TradeField.jsonNames());
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(TradeField.class)
    void theJsonSchemaTypeOfEachFieldIsItsTypeAndNullability(TradeField field) throws Exception {
        JsonNode property = schema().get("properties").get(field.jsonName());
        List<String> types = new ArrayList<>();
        if (property.get("type").isArray()) {
            property.get("type").forEach(t -> types.add(t.asText()));
        } else {
            types.add(property.get("type").asText());
        }
        List<String> expected = new ArrayList<>(List.of(field.type().json()));
        if (field.nullable()) {
            expected.add("null");
        }
        assertThat(types).as(field.jsonName()).containsExactlyElementsOf(expected);
        if (field.type() == TradeField.Type.TEXT_LIST) {
            assertThat(property.at("/items/type").asText()).isEqualTo("string");
        }
    }

    @Test
    void theCqlTradesTableHasExactlyTheTradeColumnsWithTheirTypes() {
        Map<String, String> columns = CqlTable.columns(CassandraSchema.TRADES_TABLE);
        Map<String, String> expected = new LinkedHashMap<>();
        for (String column : TradeColumns.ALL) {
            expected.put(column, TradeColumns.cqlType(column));
        }
        assertThat(columns).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void theCqlPrimaryKeyIsTheDeclaredOne() {
        assertThat(CqlTable.primaryKey(CassandraSchema.TRADES_TABLE))
                .containsExactlyElementsOf(TradeColumns.PRIMARY_KEY);
        assertThat(TradeColumns.ALL.subList(0, TradeColumns.PRIMARY_KEY.size()))
                .containsExactlyElementsOf(TradeColumns.PRIMARY_KEY);
    }

    @ParameterizedTest
    @EnumSource(TradeField.class)
    void theRecordHoldsEveryFieldAndJacksonWritesIt(TradeField field) throws Exception {
        Trade trade = TradeBuilder.trade().build();
        assertThat(trade.value(field))
                .as(field.jsonName())
                .isNotNull()
                .isInstanceOf(field.type().java());
        assertThat(Trade.of(trade::value)).isEqualTo(trade);
        JsonNode json = MAPPER.readTree(MAPPER.writeValueAsString(trade));
        assertThat(json.get(field.jsonName())).as(field.jsonName()).isEqualTo(MAPPER.valueToTree(trade.value(field)));
    }

    /** Every double and bigint field has an unboxed accessor giving its value; no other field has one. */
    @ParameterizedTest
    @EnumSource(TradeField.class)
    void theUnboxedAccessorsGiveTheValueOfTheirTypesFields(TradeField field) {
        Trade trade = TradeBuilder.trade().build();
        switch (field.type()) {
            case DOUBLE -> assertThat((Object) trade.doubleValue(field)).isEqualTo(trade.value(field));
            case BIGINT -> assertThat((Object) trade.longValue(field)).isEqualTo(trade.value(field));
            default -> {
                assertThatIllegalArgumentException().isThrownBy(() -> trade.doubleValue(field));
                assertThatIllegalArgumentException().isThrownBy(() -> trade.longValue(field));
            }
        }
    }

    @Test
    void noTwoFieldsOfTheBuildersTradeAreAlike() {
        Trade trade = TradeBuilder.trade().build();
        List<String> texts = new ArrayList<>();
        for (TradeField field : TradeField.values()) {
            texts.add(String.valueOf(trade.value(field)));
        }
        assertThat(texts).doesNotHaveDuplicates();
    }

    private static JsonNode schema() throws Exception {
        return MAPPER.readTree(TradeFieldTest.class.getResourceAsStream(TradeContract.TRADE_SCHEMA_RESOURCE));
    }
}
