package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.uuid.Generators;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.testing.TradeBuilder;
import io.streamingpipeline.localstack.pipeline.DayJobLaunch;
import io.streamingpipeline.localstack.postgres.PostgresServer;
import io.streamingpipeline.localstack.postgres.SharedPostgres;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The day jobs ({@code io.streamingpipeline.spark.batch.DayJobsMain} in the job jar) submitted with spark-submit to
 * the real cluster, on the real Kafka and Cassandra, with their results in a real Postgres 16. A fixed past day: the
 * trades (and their Kafka record times) are of {@link #DAY}, plus one trade just before and one just after it per
 * symbol. The streaming job stores them; then the tests run in order, each on what the previous one left:
 * a clean close; three faults, each on its own symbol, and the close names each; a replay; a clean close again;
 * rollups equal to a computation from the trades.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DayJobsIT {

    private static final LocalDate DAY = LocalDate.of(2026, 1, 15);
    private static final String TOPIC = "it-day-trades";
    private static final String DLQ = "it-day-dlq";
    private static final String KEYSPACE = "it_dayjobs";
    private static final String OPS_DB = "pipeline_ops";
    private static final String OPS_USER = "pipeline_ops";
    private static final String CLEAN = "IT:CLEAN";
    private static final String DELETED = "IT:DELETED";
    private static final String DOUBLED = "IT:DOUBLED";
    private static final String GAP = "IT:GAP";
    private static final List<String> SYMBOLS = List.of(CLEAN, DELETED, DOUBLED, GAP);
    private static final long TEN = DAY.atTime(10, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

    @TempDir
    static Path workDir;

    private PipelineStack stack;
    private PostgresServer postgres;
    private List<Trade> dayTrades;

    @BeforeAll
    void storeTheDayWithTheStreamingJob() throws Exception {
        postgres = SharedPostgres.get(); // before the other engines: four starting at once are slow on 2 cores
        stack = PipelineStack.get();
        postgres.createDatabase(OPS_DB, OPS_USER, "it-ops-password");
        Files.writeString(workDir.resolve("ops-password"), "it-ops-password\n");
        Files.writeString(workDir.resolve("cassandra-password"), stack.cassandra.password() + "\n");
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()))) {
            // kept forever: the records' times are of a past day, which time-based retention would delete
            admin.createTopics(List.of(
                            new NewTopic(TOPIC, 3, (short) 1).configs(Map.of("retention.ms", "-1")),
                            new NewTopic(DLQ, 1, (short) 1).configs(Map.of("retention.ms", "-1"))))
                    .all()
                    .get();
        }
        try (CqlSession session = stack.cassandra.session()) {
            CassandraTables.createSchema(session, KEYSPACE);
        }

        // six minutes of trades from 10:00, ties and volume 0 included, and one trade in D's last 50 ms per symbol
        dayTrades = new ArrayList<>(
                TestTrades.random(22, 480, SYMBOLS, TEN, Duration.ofMinutes(6).toMillis()));
        long lastMillis =
                DAY.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 50;
        List<Trade> others = new ArrayList<>();
        for (String symbol : SYMBOLS) {
            dayTrades.add(trade(symbol, lastMillis, 101.25));
            others.add(trade(symbol, lastMillis - Duration.ofDays(1).toMillis() + 40, 99.5)); // 23:59:59.990 of D-1
            others.add(trade(symbol, lastMillis + 60, 102.75)); // 00:00:00.010 of D+1
        }
        try (KafkaProducer<String, String> producer = TestTrades.producer(stack.kafka.bootstrapServers())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<Trade> all = new ArrayList<>(dayTrades);
            all.addAll(others);
            for (Trade t : all) {
                // the ingestor's record time: a few ms after the trade
                acks.add(producer.send(
                        new ProducerRecord<>(TOPIC, null, t.timestampUnix() + 20, t.symbol(), TestTrades.json(t))));
            }
            // a rejected record in the day: not a trade of the close
            acks.add(producer.send(new ProducerRecord<>(
                    TOPIC,
                    null,
                    TEN + 1000,
                    CLEAN,
                    "{\"id\":\""
                            + Generators.timeBasedEpochGenerator().generate()
                            + "\",\"symbol\":\"IT:CLEAN\",\"price\":-1,"
                            + "\"volume\":1,\"timestamp_unix\":" + (TEN + 1000)
                            + ",\"conditions\":null,\"ingested_at\":" + (TEN + 1010) + "}")));
            // dead letters of the day (as the ingestor writes them), and one of the next day
            String deadLetter =
                    "{\"reason\":\"%s\",\"detail\":\"d\",\"raw\":\"r\",\"source\":\"ingestor\",\"rejected_at\":%d}";
            acks.add(producer.send(
                    new ProducerRecord<>(DLQ, null, TEN, CLEAN, deadLetter.formatted("invalid_price", TEN))));
            acks.add(producer.send(
                    new ProducerRecord<>(DLQ, null, TEN + 5, CLEAN, deadLetter.formatted("invalid_price", TEN + 5))));
            acks.add(producer.send(
                    new ProducerRecord<>(DLQ, null, TEN + 9, null, deadLetter.formatted("malformed_frame", TEN + 9))));
            acks.add(producer.send(new ProducerRecord<>(
                    DLQ, null, lastMillis + 100, CLEAN, deadLetter.formatted("invalid_volume", lastMillis + 100))));
            TestTrades.awaitAll(acks);
        }

        int stored = dayTrades.size() + others.size();
        TradesJob streaming = new TradesJob("it-day-stream", TOPIC, DLQ, KEYSPACE, workDir.resolve("stream"));
        SparkDriver driver = streaming.submit();
        try (CqlSession session = stack.cassandra.session()) {
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1))
                    .failFast("driver exited: " + driver.logTail(30), () -> !driver.isAlive())
                    .until(() -> CassandraTables.tradeCount(session, KEYSPACE) >= stored
                            && CassandraTables.candles(session, KEYSPACE).stream()
                                            .mapToLong(CandleRow::tradeCount)
                                            .sum()
                                    >= stored);
        } finally {
            driver.stop(Duration.ofSeconds(60));
        }
    }

    @AfterAll
    void dropTheDatabaseTables() throws SQLException {
        if (postgres != null) {
            try (Connection c = postgres.superuserConnection(OPS_DB);
                    Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS daily_close, replay_run");
            }
        }
    }

    @Test
    @Order(1)
    void aDayWithKnownTradesClosesClean() throws Exception {
        SparkDriver close = run("daily-close");
        assertThat(close.exitCode())
                .as("exit code; log:%n%s", close.logTail(40))
                .contains(0);
        String log = Files.readString(close.logFile());
        assertThat(log).contains("DAILY CLOSE 2026-01-15: 5 symbols, 5 ok, 0 mismatches");

        Map<String, CloseRow> rows = closeRows();
        assertThat(rows).containsOnlyKeys(CLEAN, DELETED, DOUBLED, GAP, "(no symbol)");
        for (String symbol : SYMBOLS) {
            long expected =
                    dayTrades.stream().filter(t -> t.symbol().equals(symbol)).count();
            assertThat(rows.get(symbol))
                    .as(symbol)
                    .isEqualTo(new CloseRow(
                            expected,
                            expected,
                            expected,
                            true,
                            symbol.equals(CLEAN) ? "{\"invalid_price\": 2}" : "{}",
                            "ok"));
        }
        assertThat(rows.get("(no symbol)")).isEqualTo(new CloseRow(0, 0, 0, true, "{\"malformed_frame\": 1}", "ok"));
    }

    @Test
    @Order(2)
    void aDeletedRowADuplicatedMergeAndAMissingMinuteEachFailTheClose() throws Exception {
        Trade deleted = dayTrades.stream()
                .filter(t -> t.symbol().equals(DELETED) && minuteOf(t) == TEN + 120_000)
                .findFirst()
                .orElseThrow();
        long doubledMinuteRows = countIn(DOUBLED, TEN + 180_000);
        long gapMinuteRows = countIn(GAP, TEN + 240_000);
        try (CqlSession session = stack.cassandra.session()) {
            session.execute(
                    "DELETE FROM " + KEYSPACE + ".crypto_trades WHERE symbol = ? AND day = ? AND timestamp_unix = ? "
                            + "AND id = ?",
                    DELETED,
                    DAY.toString(),
                    deleted.timestampUnix(),
                    deleted.id());
            // a micro-batch merged twice into the candle of 10:03
            Row candle = session.execute(
                            "SELECT trade_count, volume FROM " + KEYSPACE + ".crypto_candles_1m WHERE "
                                    + "symbol = ? AND day = ? AND minute_start = ?",
                            DOUBLED,
                            DAY.toString(),
                            Instant.ofEpochMilli(TEN + 180_000))
                    .one();
            session.execute(
                    "UPDATE " + KEYSPACE + ".crypto_candles_1m SET trade_count = ?, volume = ? WHERE symbol = ? "
                            + "AND day = ? AND minute_start = ?",
                    candle.getLong(0) * 2,
                    candle.getDouble(1) * 2,
                    DOUBLED,
                    DAY.toString(),
                    Instant.ofEpochMilli(TEN + 180_000));
            session.execute(
                    "DELETE FROM " + KEYSPACE + ".crypto_candles_1m WHERE symbol = ? AND day = ? AND minute_start = ?",
                    GAP,
                    DAY.toString(),
                    Instant.ofEpochMilli(TEN + 240_000));
        }

        SparkDriver close = run("daily-close");
        assertThat(close.exitCode())
                .as("exit code; log:%n%s", close.logTail(40))
                .contains(1);
        String log = Files.readString(close.logFile());
        long deletedMinuteRows = countIn(DELETED, TEN + 120_000) - 1;
        assertThat(log)
                .contains("DAILY CLOSE 2026-01-15: 5 symbols, 2 ok, 3 mismatches")
                .containsPattern("OK +2026-01-15 IT:CLEAN: ")
                .contains("MISMATCH 2026-01-15 IT:DELETED: ")
                .contains("1 trades of Kafka missing in Cassandra")
                .contains("10:02 candle counts " + (deletedMinuteRows + 1) + " trades, " + deletedMinuteRows + " rows")
                .contains("MISMATCH 2026-01-15 IT:DOUBLED: ")
                .contains("10:03 candle counts " + 2 * doubledMinuteRows + " trades, " + doubledMinuteRows + " rows")
                .contains("MISMATCH 2026-01-15 IT:GAP: ")
                .contains("10:04 has no candle (" + gapMinuteRows + " rows)");
        Map<String, CloseRow> rows = closeRows();
        assertThat(rows.get(CLEAN).status()).isEqualTo("ok");
        assertThat(rows.get(DELETED).status()).isEqualTo("mismatch");
        assertThat(rows.get(DELETED).cassandraTrades())
                .isEqualTo(rows.get(DELETED).kafkaTrades() - 1);
        assertThat(rows.get(DOUBLED).status()).isEqualTo("mismatch");
        assertThat(rows.get(DOUBLED).candleTrades()).isEqualTo(rows.get(DOUBLED).kafkaTrades() + doubledMinuteRows);
        assertThat(rows.get(GAP).status()).isEqualTo("mismatch");
        assertThat(rows.get(GAP).candleTrades()).isEqualTo(rows.get(GAP).kafkaTrades() - gapMinuteRows);
    }

    @Test
    @Order(3)
    void replayRepairsTheDayAndTheCloseThenPasses() throws Exception {
        SparkDriver replay = run("replay");
        assertThat(replay.exitCode())
                .as("exit code; log:%n%s", replay.logTail(40))
                .contains(0);
        try (Connection c = ops();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT day, status, kafka_trades, trades_upserted, error FROM replay_run")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getObject(1, LocalDate.class)).isEqualTo(DAY);
            assertThat(r.getString(2)).isEqualTo("ok");
            assertThat(r.getLong(3)).isEqualTo(dayTrades.size());
            assertThat(r.getString(5)).isNull();
            assertThat(r.next()).as("one run").isFalse();
        }
        try (CqlSession session = stack.cassandra.session()) {
            List<CandleRow> candles = CassandraTables.candles(session, KEYSPACE).stream()
                    .filter(c -> c.day().equals(DAY.toString()))
                    .toList();
            PipelineAssertions.assertCandles(candles, ExpectedCandles.of(dayTrades));
        }

        SparkDriver close = run("daily-close");
        assertThat(close.exitCode())
                .as("exit code; log:%n%s", close.logTail(40))
                .contains(0);
        assertThat(Files.readString(close.logFile())).contains("DAILY CLOSE 2026-01-15: 5 symbols, 5 ok, 0 mismatches");
        assertThat(closeRows().values()).extracting(CloseRow::status).containsOnly("ok");
    }

    @Test
    @Order(4)
    void rollupsEqualAComputationFromTheTradesAndARerunRewritesThem() throws Exception {
        for (int i = 0; i < 2; i++) {
            SparkDriver rollups = run("rollups");
            assertThat(rollups.exitCode())
                    .as("exit code; log:%n%s", rollups.logTail(40))
                    .contains(0);
            assertThat(Files.readString(rollups.logFile()))
                    .contains("ROLLUPS 2026-01-15: 8 hourly and 4 daily candles written");
            try (CqlSession session = stack.cassandra.session()) {
                List<CandleRow> hourly = new ArrayList<>();
                List<CandleRow> daily = new ArrayList<>();
                for (String symbol : SYMBOLS) {
                    session.execute(
                                    "SELECT symbol, month, hour_start, open, high, low, close, volume, trade_count, vwap "
                                            + "FROM " + KEYSPACE
                                            + ".crypto_candles_1h WHERE symbol = ? AND month = '2026-01'",
                                    symbol)
                            .forEach(r -> hourly.add(rollupRow(r)));
                    session.execute(
                                    "SELECT symbol, year, day_start, open, high, low, close, volume, trade_count, vwap "
                                            + "FROM " + KEYSPACE
                                            + ".crypto_candles_1d WHERE symbol = ? AND year = '2026'",
                                    symbol)
                            .forEach(r -> daily.add(rollupRow(r)));
                }
                PipelineAssertions.assertCandles(
                        hourly, periodCandles(Duration.ofHours(1).toMillis(), "2026-01"));
                PipelineAssertions.assertCandles(
                        daily, periodCandles(Duration.ofDays(1).toMillis(), "2026"));
            }
        }
    }

    /** Candles of the day's trades per period, computed from the trades (ExpectedCandles.of with a wider "minute"). */
    private List<CandleRow> periodCandles(long periodMillis, String bucket) {
        Map<String, List<Trade>> byPeriod = dayTrades.stream()
                .collect(Collectors.groupingBy(
                        t -> t.symbol() + "|" + Math.floorDiv(t.timestampUnix(), periodMillis),
                        TreeMap::new,
                        Collectors.toList()));
        List<CandleRow> candles = new ArrayList<>();
        byPeriod.forEach((key, trades) -> {
            CandleRow all = null;
            for (CandleRow minute : ExpectedCandles.of(trades)) {
                all = all == null
                        ? minute
                        : new CandleRow(
                                all.symbol(),
                                all.day(),
                                all.minuteStart(),
                                all.open(),
                                Math.max(all.high(), minute.high()),
                                Math.min(all.low(), minute.low()),
                                minute.close(),
                                all.volume() + minute.volume(),
                                all.tradeCount() + minute.tradeCount(),
                                null);
            }
            double volume = trades.stream().mapToDouble(Trade::volume).sum();
            double notional =
                    trades.stream().mapToDouble(t -> t.price() * t.volume()).sum();
            long start = Math.floorDiv(trades.get(0).timestampUnix(), periodMillis) * periodMillis;
            candles.add(new CandleRow(
                    all.symbol(),
                    bucket,
                    Instant.ofEpochMilli(start),
                    all.open(),
                    all.high(),
                    all.low(),
                    all.close(),
                    all.volume(),
                    all.tradeCount(),
                    volume > 0 ? notional / volume : null));
        });
        return candles;
    }

    private static CandleRow rollupRow(Row r) {
        return new CandleRow(
                r.getString(0),
                r.getString(1),
                r.getInstant(2),
                r.getDouble(3),
                r.getDouble(4),
                r.getDouble(5),
                r.getDouble(6),
                r.getDouble(7),
                r.getLong(8),
                r.isNull(9) ? null : r.getDouble(9));
    }

    private SparkDriver run(String command) {
        SparkDriver driver = stack.spark.submit(DayJobLaunch.of(PipelineStack.jobJar(), command, DAY.toString())
                .bootstrapServers(stack.kafka.bootstrapServers())
                .topics(TOPIC, DLQ)
                .cassandra(stack.cassandra, workDir.resolve("cassandra-password"))
                .keyspace(KEYSPACE)
                .ops(postgres.jdbcUrl(OPS_DB), OPS_USER, workDir.resolve("ops-password"))
                .submission("it-" + command)
                .driverHeap("1g")
                .executorMemory("1g")
                .conf("spark.sql.shuffle.partitions", "2")
                .driverJvmOptions("-XX:TieredStopAtLevel=1")
                .conf("spark.executor.extraJavaOptions", "-XX:TieredStopAtLevel=1")
                .build());
        long started = System.nanoTime();
        try {
            driver.awaitExit(Duration.ofMinutes(5));
        } finally {
            driver.kill(); // no-op once it has exited
        }
        System.out.printf(
                "%s: exit %s after %d ms%n",
                command, driver.exitCode().orElse(null), (System.nanoTime() - started) / 1_000_000);
        return driver;
    }

    record CloseRow(
            long kafkaTrades,
            long cassandraTrades,
            long candleTrades,
            boolean kafkaComplete,
            String deadLetters,
            String status) {}

    private Map<String, CloseRow> closeRows() throws SQLException {
        Map<String, CloseRow> rows = new TreeMap<>();
        try (Connection c = ops();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("SELECT symbol, kafka_trades, cassandra_trades, candle_trades, kafka_complete, "
                                + "dead_letters::text, status FROM daily_close WHERE day = DATE '2026-01-15'")) {
            while (r.next()) {
                rows.put(
                        r.getString(1),
                        new CloseRow(
                                r.getLong(2),
                                r.getLong(3),
                                r.getLong(4),
                                r.getBoolean(5),
                                r.getString(6),
                                r.getString(7)));
            }
        }
        return rows;
    }

    private Connection ops() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", OPS_USER);
        p.setProperty("password", "it-ops-password");
        return DriverManager.getConnection(postgres.jdbcUrl(OPS_DB), p);
    }

    private long countIn(String symbol, long minute) {
        return dayTrades.stream()
                .filter(t -> t.symbol().equals(symbol) && minuteOf(t) == minute)
                .count();
    }

    private static long minuteOf(Trade t) {
        return Math.floorDiv(t.timestampUnix(), 60_000L) * 60_000L;
    }

    private static Trade trade(String symbol, long time, double price) {
        return TradeBuilder.trade()
                .id(Generators.timeBasedEpochGenerator().generate())
                .symbol(symbol)
                .price(price)
                .volume(0.5)
                .timestampUnix(time)
                .conditions((List<String>) null)
                .ingestedAt(time + 7)
                .build();
    }
}
