package io.streamingpipeline.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.cassandra.SharedCassandra;
import io.streamingpipeline.query.testing.FakePipelineResource;
import io.streamingpipeline.query.testing.SharedCassandraResource;
import io.streamingpipeline.query.testing.TestTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The REST API against the local stack's real Cassandra node, with rows written here around a UTC day boundary. */
@QuarkusTest
@WithTestResource(SharedCassandraResource.class)
@WithTestResource(FakePipelineResource.class)
class QueryApiTest {

    static final String SYMBOL = "TEST:DAYS";
    /** 2024-03-01T23:59:50Z: the trades run across midnight into 2024-03-02. */
    static final long FIRST_TRADE = Instant.parse("2024-03-01T23:59:50Z").toEpochMilli();

    static final long MIDNIGHT = Instant.parse("2024-03-02T00:00:00Z").toEpochMilli();
    static final String ROLLUP = "TEST:ROLLUP";
    /** Hour starts 2024-02-29T22:00Z .. 2024-03-01T01:00Z (a leap day, then a new month). */
    static final List<Long> HOURS = List.of(
            Instant.parse("2024-02-29T22:00:00Z").toEpochMilli(),
            Instant.parse("2024-02-29T23:00:00Z").toEpochMilli(),
            Instant.parse("2024-03-01T00:00:00Z").toEpochMilli(),
            Instant.parse("2024-03-01T01:00:00Z").toEpochMilli());
    /** Day starts 2023-12-30 .. 2024-01-02. */
    static final List<Long> DAYS = List.of(
            Instant.parse("2023-12-30T00:00:00Z").toEpochMilli(),
            Instant.parse("2023-12-31T00:00:00Z").toEpochMilli(),
            Instant.parse("2024-01-01T00:00:00Z").toEpochMilli(),
            Instant.parse("2024-01-02T00:00:00Z").toEpochMilli());

    /** Newest first, as the table orders them: (timestamp_unix DESC, id DESC). */
    static final List<Map.Entry<Long, UUID>> TRADES = new ArrayList<>();

    @BeforeAll
    static void seed() {
        try (CqlSession session = SharedCassandra.session()) {
            TestTables tables = new TestTables(session, SharedCassandraResource.KEYSPACE);
            for (int i = 0; i < 10; i++) { // 23:59:50 .. 00:00:08, every 2 s: 5 trades on each day
                add(tables, FIRST_TRADE + i * 2000L, i);
            }
            add(tables, MIDNIGHT + 4000, 100); // same millisecond as another trade: ordered by id
            add(tables, MIDNIGHT + 4000, 101);
            // outside the ranges queried below
            tables.trade(SYMBOL, Instant.parse("2024-02-28T12:00:00Z").toEpochMilli(), UUID.randomUUID(), 1, 1);
            tables.trade("TEST:OTHER", MIDNIGHT, UUID.randomUUID(), 1, 1);

            long minute = 60_000;
            tables.candle(SYMBOL, MIDNIGHT - 2 * minute, 10, 12, 9, 11, 3, 4, 10.5);
            tables.candle(SYMBOL, MIDNIGHT - minute, 11, 13, 10, 12, 2, 2, 11.5);
            tables.candle(SYMBOL, MIDNIGHT, 12, 14, 11, 13, 0, 1, null);
            tables.candle(SYMBOL, MIDNIGHT + minute, 13, 15, 12, 14, 5, 7, 13.2);
            tables.candle(SYMBOL, MIDNIGHT + 10 * minute, 1, 1, 1, 1, 1, 1, 1.0); // outside

            // hourly candles across the month boundary 2024-02 | 2024-03 (partitions (symbol, month))
            for (int i = 0; i < HOURS.size(); i++) {
                tables.hourlyCandle(
                        ROLLUP, HOURS.get(i), 20 + i, 22 + i, 19 + i, 21 + i, 100 + i, i == 1 ? null : 20.5 + i);
            }
            tables.hourlyCandle(ROLLUP, Instant.parse("2024-02-01T00:00:00Z").toEpochMilli(), 1, 1, 1, 1, 1, 1.0);
            // daily candles across the year boundary 2023 | 2024 (partitions (symbol, year))
            for (int i = 0; i < DAYS.size(); i++) {
                tables.dailyCandle(ROLLUP, DAYS.get(i), 30 + i, 33 + i, 29 + i, 31 + i, 1000 + i, 30.5 + i);
            }
            // a 1-minute candle inside the hourly range: only interval=1m returns it
            tables.candle(ROLLUP, HOURS.get(1) + 5 * minute, 7, 7, 7, 7, 1, 1, 7.0);
        }
        // Cassandra orders uuid values (other than time-based ones) as unsigned bytes, not as UUID.compareTo does
        Comparator<UUID> asCassandra = Comparator.<UUID>comparingLong(u -> u.getMostSignificantBits() ^ Long.MIN_VALUE)
                .thenComparingLong(u -> u.getLeastSignificantBits() ^ Long.MIN_VALUE);
        TRADES.sort(Comparator.<Map.Entry<Long, UUID>, Long>comparing(Map.Entry::getKey)
                .thenComparing(Map.Entry::getValue, asCassandra)
                .reversed());
    }

    private static void add(TestTables tables, long timestamp, int n) {
        UUID id = UUID.randomUUID();
        tables.trade(SYMBOL, timestamp, id, 100 + n, 0.5);
        TRADES.add(Map.entry(timestamp, id));
    }

    @Test
    void tradesAcrossMidnightNewestFirst() {
        Response r = given().queryParam("from", "2024-03-01T23:59:00Z")
                .queryParam("to", "2024-03-02T00:01:00Z")
                .queryParam("limit", 1000)
                .get("/api/trades/{symbol}", SYMBOL);
        r.then().statusCode(200);
        List<String> ids = r.jsonPath().getList("trades.id");
        assertThat(ids)
                .containsExactlyElementsOf(
                        TRADES.stream().map(e -> e.getValue().toString()).toList());
        assertThat(r.jsonPath().getString("next_page_token")).isNull();
        assertThat(r.jsonPath().getString("trades[0].symbol")).isEqualTo(SYMBOL);
        assertThat(r.jsonPath().getList("trades[0].conditions")).containsExactly("1");
        assertThat(r.jsonPath().getLong("trades[0].timestamp_unix")).isEqualTo(FIRST_TRADE + 18_000);
    }

    @Test
    void fromIsInclusiveToIsExclusive() {
        Response r = given().queryParam("from", FIRST_TRADE + 2000)
                .queryParam("to", MIDNIGHT + 4000)
                .get("/api/trades/{symbol}", SYMBOL);
        r.then().statusCode(200);
        List<Long> times = r.jsonPath().getList("trades.timestamp_unix", Long.class);
        assertThat(times)
                .containsExactly(
                        MIDNIGHT + 2000,
                        MIDNIGHT,
                        FIRST_TRADE + 8000,
                        FIRST_TRADE + 6000,
                        FIRST_TRADE + 4000,
                        FIRST_TRADE + 2000);
    }

    @Test
    void pagesWalkEveryTradeOnceAcrossDays() {
        for (int limit : new int[] {1, 3, 5, 11}) {
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                var request = given().queryParam("from", "2024-03-01")
                        .queryParam("to", "2024-03-03")
                        .queryParam("limit", limit);
                if (token != null) {
                    request.queryParam("page", token);
                }
                Response r = request.get("/api/trades/{symbol}", SYMBOL);
                r.then().statusCode(200);
                List<String> ids = r.jsonPath().getList("trades.id");
                assertThat(ids.size()).isLessThanOrEqualTo(limit);
                seen.addAll(ids);
                token = r.jsonPath().getString("next_page_token");
                assertThat(++pages).as("pages with limit " + limit).isLessThanOrEqualTo(TRADES.size() + 1);
            } while (token != null);
            assertThat(seen)
                    .as("limit " + limit)
                    .containsExactlyElementsOf(
                            TRADES.stream().map(e -> e.getValue().toString()).toList());
            assertThat(pages).isEqualTo((TRADES.size() + limit - 1) / limit);
        }
    }

    @Test
    void candlesAcrossMidnightOldestFirst() {
        Response r = given().queryParam("from", "2024-03-01T23:58:00Z")
                .queryParam("to", "2024-03-02T00:02:00Z")
                .get("/api/candles/{symbol}", SYMBOL);
        r.then().statusCode(200);
        assertThat(r.jsonPath().getList("candles.minute_start", Long.class))
                .containsExactly(MIDNIGHT - 120_000, MIDNIGHT - 60_000, MIDNIGHT, MIDNIGHT + 60_000);
        assertThat(r.jsonPath().getDouble("candles[0].open")).isEqualTo(10.0);
        assertThat(r.jsonPath().getDouble("candles[0].high")).isEqualTo(12.0);
        assertThat(r.jsonPath().getLong("candles[0].trade_count")).isEqualTo(4);
        assertThat(r.jsonPath().getString("candles[2].vwap")).isNull();
        assertThat(r.jsonPath().getLong("from")).isEqualTo(MIDNIGHT - 120_000);
        assertThat(r.jsonPath().getString("interval")).isEqualTo("1m");
    }

    @Test
    void hourlyCandlesAcrossAMonthBoundary() {
        Response r = given().queryParam("interval", "1h")
                .queryParam("from", "2024-02-29T22:30:00Z") // after the 22:00 hour starts
                .queryParam("to", "2024-03-01T01:00:00Z") // exclusive: not the 01:00 hour
                .get("/api/candles/{symbol}", ROLLUP);
        r.then().statusCode(200);
        assertThat(r.jsonPath().getString("interval")).isEqualTo("1h");
        assertThat(r.jsonPath().getList("candles.start", Long.class)).containsExactly(HOURS.get(1), HOURS.get(2));
        assertThat(r.jsonPath().getDouble("candles[0].open")).isEqualTo(21.0);
        assertThat(r.jsonPath().getDouble("candles[0].high")).isEqualTo(23.0);
        assertThat(r.jsonPath().getDouble("candles[0].low")).isEqualTo(20.0);
        assertThat(r.jsonPath().getDouble("candles[0].close")).isEqualTo(22.0);
        assertThat(r.jsonPath().getLong("candles[0].trade_count")).isEqualTo(101);
        assertThat(r.jsonPath().getString("candles[0].vwap")).isNull();
        assertThat(r.jsonPath().getDouble("candles[1].vwap")).isEqualTo(22.5);
        assertThat(r.jsonPath().getInt("candles[1].minute_count")).isEqualTo(60);
        assertThat(r.jsonPath().getString("candles[1].symbol")).isEqualTo(ROLLUP);
    }

    @Test
    void dailyCandlesAcrossAYearBoundary() {
        Response r = given().queryParam("interval", "1d")
                .queryParam("from", "2023-12-31")
                .queryParam("to", "2024-01-02")
                .get("/api/candles/{symbol}", ROLLUP);
        r.then().statusCode(200);
        assertThat(r.jsonPath().getString("interval")).isEqualTo("1d");
        assertThat(r.jsonPath().getList("candles.start", Long.class)).containsExactly(DAYS.get(1), DAYS.get(2));
        assertThat(r.jsonPath().getDouble("candles[1].close")).isEqualTo(33.0);
        assertThat(r.jsonPath().getLong("candles[1].trade_count")).isEqualTo(1002);
        assertThat(r.jsonPath().getInt("candles[1].minute_count")).isEqualTo(1440);
    }

    @Test
    void eachIntervalReadsItsOwnTable() {
        Response minutes = given().queryParam("from", "2024-02-29T22:00:00Z")
                .queryParam("to", "2024-03-01T02:00:00Z")
                .get("/api/candles/{symbol}", ROLLUP);
        minutes.then().statusCode(200);
        assertThat(minutes.jsonPath().getList("candles.minute_start", Long.class))
                .containsExactly(HOURS.get(1) + 300_000);
        Response hours = given().queryParam("interval", "1h")
                .queryParam("from", "2024-02-29T22:00:00Z")
                .queryParam("to", "2024-03-01T02:00:00Z")
                .get("/api/candles/{symbol}", ROLLUP);
        assertThat(hours.jsonPath().getList("candles.start", Long.class)).containsExactlyElementsOf(HOURS);
        Response days = given().queryParam("interval", "1d")
                .queryParam("from", "2024-02-29")
                .queryParam("to", "2024-03-02")
                .get("/api/candles/{symbol}", ROLLUP);
        assertThat(days.jsonPath().getList("candles")).isEmpty();
    }

    /** Without from, each interval goes back its own default range (1h: 7 days, 1d: 30 days). */
    @Test
    void eachIntervalHasItsDefaultRange() {
        long to = Instant.parse("2024-03-01T02:00:00Z").toEpochMilli();
        Response hours =
                given().queryParam("interval", "1h").queryParam("to", to).get("/api/candles/{symbol}", ROLLUP);
        hours.then().statusCode(200);
        assertThat(hours.jsonPath().getLong("from"))
                .isEqualTo(to - java.time.Duration.ofDays(7).toMillis());
        assertThat(hours.jsonPath().getList("candles.start", Long.class)).containsExactlyElementsOf(HOURS);
        long dayTo = DAYS.get(3);
        Response days =
                given().queryParam("interval", "1d").queryParam("to", dayTo).get("/api/candles/{symbol}", ROLLUP);
        days.then().statusCode(200);
        assertThat(days.jsonPath().getLong("from"))
                .isEqualTo(dayTo - java.time.Duration.ofDays(30).toMillis());
        assertThat(days.jsonPath().getList("candles.start", Long.class)).containsExactlyElementsOf(DAYS.subList(0, 3));
    }

    /** The widest range of each interval is accepted (90 days of hours, 1096 days of days: four year partitions). */
    @Test
    void theWidestRangeOfEachIntervalIsServed() {
        given().queryParam("interval", "1h")
                .queryParam("from", "2024-01-01")
                .queryParam("to", "2024-03-31")
                .get("/api/candles/{symbol}", ROLLUP)
                .then()
                .statusCode(200);
        Response days = given().queryParam("interval", "1d")
                .queryParam("from", "2021-01-01")
                .queryParam("to", "2024-01-02")
                .get("/api/candles/{symbol}", ROLLUP);
        days.then().statusCode(200);
        assertThat(days.jsonPath().getList("candles.start", Long.class)).containsExactlyElementsOf(DAYS.subList(0, 3));
    }

    @Test
    void unknownSymbolIsAnEmptyAnswer() {
        given().queryParam("from", "2024-03-01")
                .queryParam("to", "2024-03-02")
                .get("/api/candles/{symbol}", "TEST:NOTHING")
                .then()
                .statusCode(200);
        assertThat(given().get("/api/trades/{symbol}", "TEST:NOTHING")
                        .jsonPath()
                        .getList("trades"))
                .isEmpty();
    }

    @Test
    void symbolsComeFromConfiguration() {
        assertThat(given().get("/api/symbols").jsonPath().getList("symbols"))
                .containsExactly("BINANCE:BTCUSDT", "BINANCE:ETHUSDT");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/api/trades/bad%09symbol      |                                                       | symbol | is not a symbol",
                "/api/trades/"
                        + "A123456789B123456789C123456789D123456789E123456789F123456789G1234 |  | symbol | is not a symbol",
                "/api/candles/%20%20           |                                                       | symbol | is not a symbol",
                "/api/trades/TEST:DAYS         | from=yesterday                                        | from   | is not a time",
                "/api/candles/TEST:DAYS        | from=2024-03-01&to=2024-13-01                         | to     | is not a time",
                "/api/trades/TEST:DAYS         | from=2024-03-02&to=2024-03-01                         | from   | must be before to",
                "/api/candles/TEST:DAYS        | from=2024-03-01&to=2024-03-01                         | from   | must be before to",
                "/api/trades/TEST:DAYS         | from=2024-03-01&to=2024-03-09                         | to     | at most 7 days",
                "/api/candles/TEST:DAYS        | from=2024-01-01&to=2024-02-02                         | to     | at most 31 days",
                "/api/candles/TEST:DAYS        | interval=5m                                           | interval | is not one of 1m, 1h, 1d",
                "/api/candles/TEST:DAYS        | interval=1w&from=2024-01-01&to=2024-01-02             | interval | is not one of 1m, 1h, 1d",
                "/api/candles/TEST:DAYS        | interval=1h&from=2024-01-01&to=2024-04-01             | to     | at most 90 days",
                "/api/candles/TEST:DAYS        | interval=1d&from=2020-01-01&to=2023-01-02             | to     | at most 1096 days",
                "/api/candles/TEST:DAYS        | interval=1h&from=2024-03-02&to=2024-03-01             | from   | must be before to",
                "/api/trades/TEST:DAYS         | from=1709337600&to=1709337700                         | from   | outside 2000-01-01",
                "/api/trades/TEST:DAYS         | limit=0                                               | limit  | from 1 to 1000",
                "/api/trades/TEST:DAYS         | limit=1001                                            | limit  | from 1 to 1000",
                "/api/trades/TEST:DAYS         | limit=ten                                             | limit  | from 1 to 1000",
                "/api/trades/TEST:DAYS         | limit=-5                                              | limit  | from 1 to 1000",
                "/api/trades/TEST:DAYS         | page=not-a-token                                      | page   | not one this service returned",
                "/api/trades/TEST:DAYS         | from=2999-01-01                                       | from   | outside 2000-01-01",
                "/api/candles/TEST:DAYS/live   |                                                       |        | ",
            })
    void badInputIs400WithAReason(String path, String query, String parameter, String message) {
        if (path.endsWith("/live")) {
            given().get("/api/candles/{symbol}/live", "bad\tsymbol").then().statusCode(400);
            return;
        }
        String url = path + (query == null ? "" : "?" + query);
        Response r = given().urlEncodingEnabled(path.contains(" ")).get(url);
        r.then().statusCode(400).contentType("application/json");
        assertThat(r.jsonPath().getString("error")).isEqualTo("bad_request");
        assertThat(r.jsonPath().getString("parameter")).isEqualTo(parameter);
        assertThat(r.jsonPath().getString("message")).contains(message);
    }

    @Test
    void liveStreamSendsNewAndChangedCandles() throws Exception {
        String symbol = "TEST:LIVE";
        long minute = System.currentTimeMillis() / 60_000 * 60_000;
        try (CqlSession session = SharedCassandra.session();
                SseLines events = SseLines.open(io.restassured.RestAssured.baseURI + ":"
                        + io.restassured.RestAssured.port + "/api/candles/" + symbol + "/live")) {
            TestTables tables = new TestTables(session, SharedCassandraResource.KEYSPACE);
            tables.candle(symbol, minute, 5, 6, 4, 5.5, 1, 1, 5.5);
            String first = events.next(10);
            assertThat(first).contains("\"minute_start\":" + minute).contains("\"close\":5.5");
            tables.candle(symbol, minute, 5, 7, 4, 6.5, 2, 2, 6.0);
            String second = events.next(10);
            assertThat(second).contains("\"minute_start\":" + minute).contains("\"close\":6.5");
        }
    }

    @Test
    void readyWhileCassandraAnswers() {
        given().get("/q/health/ready").then().statusCode(200);
        assertThat(given().get("/q/health/ready").jsonPath().getString("checks.find { it.name == 'cassandra' }.status"))
                .isEqualTo("UP");
    }

    @Test
    void pipelineStateIsProxied() {
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            Response r = given().get("/api/pipeline");
            r.then().statusCode(200);
            assertThat(r.jsonPath().getString("components.find { it.name == 'ingestor' }.status"))
                    .isEqualTo("UP");
            String rate = r.jsonPath().getString("components.find { it.name == 'ingestor' }.rows_per_second");
            assertThat(rate).as("rows/s after two reads").isNotNull();
            assertThat(Double.parseDouble(rate)).isPositive();
            assertThat(r.jsonPath().getDouble("components.find { it.name == 'ingestor' }.feed.gap_seconds_total"))
                    .isEqualTo(43.75);
            assertThat(r.jsonPath().getMap("components.find { it.name == 'ingestor' }.feed.gap_seconds"))
                    .containsEntry("idle", 42.5f)
                    .containsEntry("starting", 1.25f)
                    .containsEntry("closed", 0.0f);
            assertThat(r.jsonPath().getDouble("components.find { it.name == 'ingestor' }.feed.disconnected_seconds"))
                    .isEqualTo(7.0);
            assertThat(r.jsonPath()
                            .getMap("components.find { it.name == 'ingestor' }.feed.symbol_last_trade_age_seconds"))
                    .containsEntry("BINANCE:ETHUSDT", 95.0f)
                    .containsEntry("BINANCE:BTCUSDT", 0.5f);
            assertThat(r.jsonPath().getString("components.find { it.name == 'job' }.feed"))
                    .isNull();
            assertThat(r.jsonPath().getString("components.find { it.name == 'job' }.status"))
                    .isEqualTo("UNREACHABLE");
            assertThat(r.jsonPath().getString("components.find { it.name == 'cassandra' }.status"))
                    .isEqualTo("UP");
        });
    }

    @Test
    void serviceReadsAsTheReadOnlyRoleWhichCannotWrite() {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        assertThat(config.getValue("quarkus.cassandra.auth.username", String.class))
                .isEqualTo(CassandraNode.READER_USERNAME);
        try (CqlSession reader = SharedCassandra.get()
                .sessionBuilder(
                        config.getValue("quarkus.cassandra.auth.username", String.class),
                        config.getValue("quarkus.cassandra.auth.password", String.class))
                .build()) {
            assertThat(reader.execute(
                                    "SELECT count(*) FROM " + SharedCassandraResource.KEYSPACE
                                            + ".crypto_candles_1m WHERE symbol = ? AND day = '2024-03-02'",
                                    SYMBOL)
                            .one()
                            .getLong(0))
                    .isEqualTo(3);
            assertThatThrownBy(() -> new TestTables(reader, SharedCassandraResource.KEYSPACE)
                            .candle(SYMBOL, MIDNIGHT, 1, 1, 1, 1, 1, 1, 1.0))
                    .isInstanceOf(UnauthorizedException.class);
            assertThatThrownBy(
                            () -> reader.execute("DROP TABLE " + SharedCassandraResource.KEYSPACE + ".crypto_trades"))
                    .isInstanceOf(UnauthorizedException.class);
        }
        given().queryParam("from", "2024-03-02")
                .queryParam("to", "2024-03-03")
                .get("/api/candles/{symbol}", SYMBOL)
                .then()
                .statusCode(200);
    }

    /** A Cassandra error that is not an outage (here: SELECT revoked from the service's role) is a 500 that names nothing internal. */
    @Test
    void cassandraRefusalIs500WithoutInternals() {
        String url = "/api/candles/" + SYMBOL + "?from=2024-03-01T23:58:00Z&to=2024-03-02T00:02:00Z";
        String keyspace = SharedCassandraResource.KEYSPACE;
        try (CqlSession app = SharedCassandra.session()) {
            app.execute("REVOKE SELECT ON KEYSPACE " + keyspace + " FROM " + CassandraNode.READER_USERNAME);
            try {
                // Cassandra caches permissions for 2 s (permissions_validity)
                await().atMost(java.time.Duration.ofSeconds(30))
                        .until(() -> given().get(url).statusCode() == 500);
                Response r = given().get(url);
                r.then().statusCode(500).contentType("application/json");
                assertThat(r.jsonPath().getString("error")).isEqualTo("cassandra_error");
                assertThat(r.jsonPath().getString("message"))
                        .isEqualTo("Cassandra could not run the query; the service's log says why.");
                assertThat(r.asString())
                        .doesNotContain(
                                keyspace,
                                CassandraNode.READER_USERNAME,
                                "SELECT",
                                "127.0.0.1",
                                "Unauthorized",
                                "permission");
            } finally {
                app.execute("GRANT SELECT ON KEYSPACE " + keyspace + " TO " + CassandraNode.READER_USERNAME);
            }
        }
        await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> given().get(url).statusCode() == 200);
    }

    /** Many viewers of the page cost one reading of the pipeline's state per query.pipeline.cache-ttl (2 s). */
    @Test
    void pipelineStateIsReadOncePerCacheTtlAndNamesNoHost() {
        String fake = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("query.pipeline.ingestor.health-url", String.class)
                .replace("/q/health/ready", "");
        long before = Long.parseLong(given().get(fake + "/health-requests").asString());
        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            Response r = given().get("/api/pipeline");
            r.then().statusCode(200);
            assertThat(r.jsonPath().getList("components.name")).containsExactly("ingestor", "job", "cassandra");
            assertThat(r.asString()).doesNotContain("127.0.0.1", "http:", "localhost", "refused", "Exception");
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        long reads = Long.parseLong(given().get(fake + "/health-requests").asString()) - before;
        assertThat(reads)
                .as("health checks read for 20 requests in %d ms", elapsedMillis)
                .isLessThanOrEqualTo(elapsedMillis / 2000 + 2)
                .isLessThan(20);
    }

    @Test
    void pageOpenApiAndMetricsAreServed() {
        assertThat(given().get("/").then().statusCode(200).extract().asString()).contains("vendor/lightweight-charts");
        given().get("/vendor/lightweight-charts.standalone.production.js")
                .then()
                .statusCode(200);
        given().get("/app.js").then().statusCode(200);
        assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString())
                .contains("/api/trades/{symbol}", "interval", "1h", "1d");
        given().get("/q/metrics").then().statusCode(200);
    }
}
