package io.streamingpipeline.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.streamingpipeline.contract.testing.TradeBuilder;
import io.streamingpipeline.contract.testing.TradeCases;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The table of trade cases against the contract's validation (records read by Jackson's tree model) and schema. */
class TradeValidationTest {

    private static final TradeCases TABLE = TradeCases.load();
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("classpath:" + TradeContract.TRADE_SCHEMA_RESOURCE.substring(1)));

    static List<TradeCases.TradeCase> cases() {
        return TABLE.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseGetsItsReason(TradeCases.TradeCase c) {
        assertThat(reason(c.record())).as(c.record()).isEqualTo(c.reason());
        if (c.reason() == null && c.schemaValid()) {
            assertThat(SCHEMA.validate(c.record(), InputFormat.JSON))
                    .as("schema errors")
                    .isEmpty();
        }
    }

    @Test
    void theTableCoversEveryReasonOfARecordAndValidTrades() {
        assertThat(cases().stream().map(TradeCases.TradeCase::reason).distinct())
                .containsNull()
                .contains(
                        "malformed_json",
                        "missing_symbol",
                        "invalid_price",
                        "invalid_volume",
                        "invalid_timestamp",
                        "invalid_conditions",
                        "invalid_id");
    }

    @Test
    void theSchemaBoundsArePriceAndVolumeBounds() throws Exception {
        JsonNode properties = MAPPER.readTree(getClass().getResourceAsStream(TradeContract.TRADE_SCHEMA_RESOURCE))
                .get("properties");
        assertThat(properties.at("/price/maximum").doubleValue()).isEqualTo(TradeValidation.MAX_PRICE);
        assertThat(properties.at("/volume/maximum").doubleValue()).isEqualTo(TradeValidation.MAX_VOLUME);
    }

    @Test
    void aDetailShowsAtMostFortyCharactersOfAValueAndNoControlCharacter() throws Exception {
        String record =
                TradeBuilder.trade().jsonWith(TradeField.ID.jsonName(), "\"" + "\\u0000".repeat(100_000) + "\"");
        TradeValidation.Rejection r = check(MAPPER.readTree(record));
        assertThat(r.reason()).isEqualTo(RejectReason.INVALID_ID);
        assertThat(r.detail()).hasSizeLessThan(400).doesNotContain("\u0000").contains("\\u0000");
    }

    @ParameterizedTest
    @EnumSource(TradeField.class)
    void aFieldMissingFromARecordIsAcceptedOnlyIfItIsNullable(TradeField field) throws Exception {
        TradeValidation.Rejection absent =
                check(MAPPER.readTree(TradeBuilder.trade().jsonWith(field.jsonName(), null)));
        TradeValidation.Rejection isNull =
                check(MAPPER.readTree(TradeBuilder.trade().jsonWith(field.jsonName(), "null")));
        if (field.nullable()) {
            assertThat(absent).isNull();
            assertThat(isNull).isNull();
        } else {
            assertThat(absent).isNotNull();
            assertThat(absent.detail()).startsWith("\"" + field.jsonName() + "\"");
            assertThat(isNull).isNotNull();
        }
    }

    @Test
    void theBuildersTradeIsValidAndValidatesAgainstTheSchema() throws Exception {
        String json = TradeBuilder.trade().json();
        assertThat(check(MAPPER.readTree(json))).isNull();
        assertThat(SCHEMA.validate(json, InputFormat.JSON)).isEmpty();
    }

    private static String reason(String record) {
        JsonNode node;
        try {
            node = MAPPER.readTree(record);
        } catch (JsonProcessingException e) {
            return RejectReason.MALFORMED_JSON.label();
        }
        if (node == null || !node.isObject()) {
            return RejectReason.MALFORMED_JSON.label();
        }
        TradeValidation.Rejection r = check(node);
        return r == null ? null : r.reason().label();
    }

    private static TradeValidation.Rejection check(JsonNode record) {
        return TradeValidation.check(
                field -> TradeValidation.valueOf(record.get(field.jsonName())),
                TABLE.referenceMillis(),
                TABLE.maxFutureSkew());
    }

    /** The id rule's loop accepts exactly what the pattern of a lower-case UUIDv7 matches. */
    @Test
    void theIdRuleIsTheLowerCaseUuidV7Pattern() {
        Pattern v7 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        SplittableRandom random = new SplittableRandom(17);
        String alphabet = "0123456789abcdefABCDEF-78gz ";
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder id = new StringBuilder(new UUID(random.nextLong(), random.nextLong()).toString());
            id.setCharAt(14, '7');
            id.setCharAt(19, "89ab".charAt(random.nextInt(4)));
            // none, one or two characters changed, or one added or taken away
            for (int edits = random.nextInt(3); edits > 0; edits--) {
                int at = random.nextInt(id.length());
                switch (random.nextInt(4)) {
                    case 0 -> id.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> id.deleteCharAt(at);
                    default -> id.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String s = id.toString();
            boolean matches = v7.matcher(s).matches();
            assertThat(TradeValidation.isLowerCaseUuidV7(s)).as(s).isEqualTo(matches);
            accepted += matches ? 1 : 0;
        }
        assertThat(accepted).isBetween(20_000, 180_000);
    }
}
