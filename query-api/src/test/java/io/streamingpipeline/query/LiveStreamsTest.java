package io.streamingpipeline.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.streamingpipeline.localstack.cassandra.SharedCassandra;
import io.streamingpipeline.query.testing.SharedCassandraResource;
import io.streamingpipeline.query.testing.TestTables;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Live streams against the shared Cassandra node with {@code query.live.max-streams=10} and a 200 ms poll: however
 * many clients watch a symbol, Cassandra reads it once per poll (counted by Cassandra itself); the eleventh stream
 * is answered 429 while the API goes on answering.
 */
@QuarkusTest
@TestProfile(LiveStreamsTest.TenStreams.class)
@WithTestResource(SharedCassandraResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveStreamsTest {

    static final int MAX_STREAMS = 10;
    static final Duration POLL = Duration.ofMillis(200);

    public static class TenStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "query.live.max-streams",
                    Integer.toString(MAX_STREAMS),
                    "query.live.poll-interval",
                    POLL.toMillis() + "ms");
        }
    }

    /** First, while no other stream reads the table. */
    @Test
    @Order(1)
    void oneCassandraReadPerPollHoweverManyClientsWatch() throws Exception {
        String symbol = "TEST:SHARED";
        long minute = System.currentTimeMillis() / 60_000 * 60_000;
        List<SseLines> clients = new ArrayList<>();
        try (CqlSession session = SharedCassandra.session()) {
            TestTables tables = new TestTables(session, SharedCassandraResource.KEYSPACE);
            tables.candle(symbol, minute, 5, 6, 4, 5.5, 1, 1, 5.5);
            for (int i = 0; i < MAX_STREAMS; i++) {
                clients.add(SseLines.open(liveUrl(symbol)));
            }
            for (SseLines client : clients) {
                assertThat(client.next(20)).contains("\"close\":5.5"); // every client is subscribed and served
            }

            long before = candleReads(session);
            long started = System.nanoTime();
            Thread.sleep(3000);
            long reads = candleReads(session) - before;
            long polls = (System.nanoTime() - started) / POLL.toNanos();
            System.out.printf(
                    "%d clients, %d poll intervals: %d Cassandra reads of the candle table%n",
                    MAX_STREAMS, polls, reads);
            // one poller: about `polls` reads (fewer when ticks are dropped on a busy machine); one per client: 10 x
            assertThat(reads)
                    .as("Cassandra reads of the candle table by %d clients in %d poll intervals", MAX_STREAMS, polls)
                    .isPositive()
                    .isLessThanOrEqualTo(polls + 5);

            tables.candle(symbol, minute, 5, 7, 4, 6.5, 2, 2, 6.0);
            for (SseLines client : clients) {
                assertThat(client.next(20)).contains("\"close\":6.5");
            }
        } finally {
            for (SseLines client : clients) {
                client.close();
            }
        }
    }

    @Test
    @Order(2)
    void streamsPastTheCapAre429WhileTheApiAnswers() throws Exception {
        String symbol = "TEST:CAP";
        long minute = System.currentTimeMillis() / 60_000 * 60_000;
        try (CqlSession session = SharedCassandra.session()) {
            new TestTables(session, SharedCassandraResource.KEYSPACE).candle(symbol, minute, 1, 2, 0.5, 1.5, 3, 4, 1.2);
        }
        // the streams of the previous test end once the service sees their connections close
        await().atMost(Duration.ofSeconds(20)).until(() -> metric("query_live_streams") == 0);
        List<SseLines> clients = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_STREAMS; i++) {
                SseLines client = SseLines.open(liveUrl(symbol));
                clients.add(client);
                assertThat(client.status(20)).isEqualTo(200);
            }
            for (SseLines client : clients) {
                assertThat(client.next(20)).contains("\"close\":1.5");
            }
            assertThat(metric("query_live_pollers")).isEqualTo(1);

            HttpResponse<String> refused = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(liveUrl(symbol)))
                                    .header("Accept", "text/event-stream")
                                    .timeout(Duration.ofSeconds(20))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(refused.headers().firstValue("Retry-After")).contains("30");
            assertThat(refused.body())
                    .contains("\"error\":\"too_many_streams\"")
                    .contains("maximum of " + MAX_STREAMS + " live streams");

            given().get("/api/candles/{symbol}", symbol).then().statusCode(200);
            given().get("/q/health/ready").then().statusCode(200);
            assertThat(metric("query_live_streams")).isEqualTo(MAX_STREAMS);
            assertThat(metric("query_live_streams_rejected_total")).isGreaterThanOrEqualTo(1);

            // a client that leaves frees its place
            clients.remove(0).close();
            await().atMost(Duration.ofSeconds(20)).until(() -> metric("query_live_streams") == MAX_STREAMS - 1);
            SseLines again = SseLines.open(liveUrl(symbol));
            clients.add(again);
            assertThat(again.status(20)).isEqualTo(200);
            assertThat(again.next(20)).contains("\"close\":1.5");
        } finally {
            for (SseLines client : clients) {
                client.close();
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> metric("query_live_pollers") == 0);
    }

    private static String liveUrl(String symbol) {
        return RestAssured.baseURI + ":" + RestAssured.port + "/api/candles/" + symbol + "/live";
    }

    /** Reads of the test keyspace's candle table that this node coordinated, as Cassandra counts them. */
    private static long candleReads(CqlSession session) {
        var row = session.execute(
                        "SELECT count FROM system_views.coordinator_read_latency WHERE keyspace_name = ? "
                                + "AND table_name = ?",
                        SharedCassandraResource.KEYSPACE,
                        "crypto_candles_1m")
                .one();
        return row == null ? 0 : row.getLong("count");
    }

    /** The value of a metric without labels on /q/metrics. */
    private static double metric(String name) {
        for (String line : given().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).strip());
            }
        }
        throw new AssertionError(name + " is not on /q/metrics");
    }
}
