package io.streamingpipeline.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.query.testing.DedicatedCassandraResource;
import io.streamingpipeline.query.testing.TestTables;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Cassandra stops and comes back while the service runs: readiness DOWN and 503 with a JSON reason, then 200 again
 * without restarting the service. On a node of its own (the password reaches the service through a file).
 */
@QuarkusTest
@WithTestResource(DedicatedCassandraResource.class)
class CassandraOutageTest {

    static final String SYMBOL = "TEST:OUTAGE";
    static final long MINUTE = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
    static final String CANDLES = "/api/candles/" + SYMBOL + "?from=2024-05-01T09:00:00Z&to=2024-05-01T11:00:00Z";

    @Test
    void readinessAnd503FollowCassandraAndRecoverByThemselves() {
        CassandraNode node = DedicatedCassandraResource.node();
        try (CqlSession session = node.session()) {
            new TestTables(session, DedicatedCassandraResource.KEYSPACE)
                    .candle(SYMBOL, MINUTE, 1, 2, 0.5, 1.5, 3, 4, 1.2);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get(CANDLES).then().statusCode(200);
        assertThat(given().get(CANDLES).jsonPath().getList("candles")).hasSize(1);

        node.stop();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/q/health/ready").statusCode() == 503);
        Response ready = given().get("/q/health/ready");
        assertThat(ready.jsonPath().getString("checks.find { it.name == 'cassandra' }.status"))
                .isEqualTo("DOWN");
        assertThat(ready.jsonPath().getString("checks.find { it.name == 'cassandra' }.data.reason"))
                .isNotBlank();
        String port = Integer.toString(node.port());
        assertThat(ready.asString()).doesNotContain("127.0.0.1", port);
        given().get("/q/health/live").then().statusCode(200);

        Response candles = given().get(CANDLES);
        candles.then().statusCode(503).contentType("application/json").header("Retry-After", "5");
        assertThat(candles.jsonPath().getString("error")).isEqualTo("cassandra_unavailable");
        assertThat(candles.jsonPath().getString("message")).isEqualTo("Cassandra is unavailable; try again in 5 s.");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> given().get("/api/pipeline")
                        .jsonPath()
                        .getString("components.find { it.name == 'cassandra' }.status")
                        .equals("DOWN")); // cached up to 2 s
        Response pipeline = given().get("/api/pipeline");
        assertThat(pipeline.asString()).doesNotContain("127.0.0.1", port, "tried");
        given().get("/api/trades/" + SYMBOL + "?from=2024-05-01&to=2024-05-02")
                .then()
                .statusCode(503);
        given().get("/api/trades/{symbol}", "bad\tsymbol").then().statusCode(400); // input is still checked first

        node.startAgain();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().get(CANDLES).statusCode() == 200);
        assertThat(given().get(CANDLES).jsonPath().getDouble("candles[0].close"))
                .isEqualTo(1.5);
    }
}
