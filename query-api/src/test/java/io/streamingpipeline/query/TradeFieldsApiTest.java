package io.streamingpipeline.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.testing.TradeBuilder;
import io.streamingpipeline.localstack.cassandra.SharedCassandra;
import io.streamingpipeline.query.testing.FakePipelineResource;
import io.streamingpipeline.query.testing.SharedCassandraResource;
import io.streamingpipeline.query.testing.TestTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every field of the contract, written to its column, comes back from {@code /api/trades} under its JSON name. */
@QuarkusTest
@WithTestResource(SharedCassandraResource.class)
@WithTestResource(FakePipelineResource.class)
class TradeFieldsApiTest {

    static final Trade TRADE = TradeBuilder.trade().symbol("TEST:FIELDS").build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void seed() {
        try (CqlSession session = SharedCassandra.session()) {
            new TestTables(session, SharedCassandraResource.KEYSPACE).trade(TRADE);
        }
    }

    @ParameterizedTest
    @EnumSource(TradeField.class)
    void everyFieldComesBackUnderItsJsonName(TradeField field) throws Exception {
        String body = given().queryParam("from", TRADE.timestampUnix())
                .queryParam("to", TRADE.timestampUnix() + 1)
                .get("/api/trades/{symbol}", TRADE.symbol())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode trades = MAPPER.readTree(body).get("trades");
        assertThat(trades).hasSize(1);
        JsonNode returned = trades.get(0).get(field.jsonName());
        assertThat(returned).as(field.jsonName()).isNotNull();
        assertThat(returned).as(field.jsonName()).isEqualTo(MAPPER.valueToTree(TRADE.value(field)));
    }
}
