package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.kafka.TopicReader;
import io.streamingpipeline.localstack.kafka.TopicRecord;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run of the job on the real engines: {@value #COUNT} trades produced before it starts, then malformed records
 * and more trades while it runs. Each test looks at its own symbols, so the order of the tests does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TradesToCassandraIT {

    private static final int COUNT = 5000;
    private static final String TOPIC = "it-trades";
    private static final String DLQ = "it-trades-dlq";
    private static final String KEYSPACE = "it_pipeline";
    private static final List<String> SYMBOLS =
            List.of("IT:BTCUSDT", "IT:ETHUSDT", "IT:SOLUSDT", "IT:ADAUSDT", "IT:DOGEUSDT");

    @TempDir
    static Path workDir;

    private PipelineStack stack;
    private TradesJob job;
    private SparkDriver driver;
    private List<Trade> trades;

    @BeforeAll
    void produceTradesAndStartTheJob() {
        stack = PipelineStack.get();
        PipelineStack.createTopics(stack.kafka, TOPIC, DLQ);
        try (CqlSession session = stack.cassandra.session()) {
            CassandraTables.createSchema(session, KEYSPACE);
        }
        // 4 minutes of trades, ending 8 minutes ago
        long first = System.currentTimeMillis() - Duration.ofMinutes(12).toMillis();
        trades = TestTrades.random(
                42, COUNT, SYMBOLS, first, Duration.ofMinutes(4).toMillis());
        TestTrades.produce(stack.kafka.bootstrapServers(), TOPIC, trades);

        job = new TradesJob("it-trades", TOPIC, DLQ, KEYSPACE, workDir.resolve("job"));
        long submitted = System.nanoTime();
        driver = job.submit();
        try (CqlSession session = stack.cassandra.session()) {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("driver exited: " + driver, () -> !driver.isAlive())
                    .until(() -> CassandraTables.tradeCount(session, KEYSPACE) > 0);
            long firstRows = (System.nanoTime() - submitted) / 1_000_000;
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("driver exited: " + driver, () -> !driver.isAlive())
                    .until(() -> CassandraTables.tradeCount(session, KEYSPACE) >= COUNT);
            System.out.printf(
                    "job: first rows in Cassandra %d ms after spark-submit, all %d trades after %d ms%n",
                    firstRows, COUNT, (System.nanoTime() - submitted) / 1_000_000);
        }
    }

    @AfterAll
    void stopTheJob() {
        if (driver != null) {
            long started = System.nanoTime();
            boolean clean = driver.stop(Duration.ofSeconds(90));
            System.out.printf(
                    "driver SIGTERM -> exit: %d ms (clean: %s), log %s%n",
                    (System.nanoTime() - started) / 1_000_000, clean, driver.logFile());
        }
    }

    @Test
    void everyTradeLandsExactlyOnceWithEveryFieldExact() {
        try (CqlSession session = stack.cassandra.session()) {
            List<CassandraTables.TradeRow> rows = CassandraTables.trades(session, KEYSPACE).stream()
                    .filter(r -> SYMBOLS.contains(r.symbol()))
                    .toList();
            PipelineAssertions.assertTradesExactly(rows, trades);
        }
    }

    @Test
    void candlesEqualAnIndependentComputationFromTheSameTrades() {
        List<CandleRow> expected = ExpectedCandles.of(trades);
        assertThat(expected)
                .hasSizeGreaterThanOrEqualTo(SYMBOLS.size() * 4)
                .anyMatch(c -> c.vwap() == null || c.tradeCount() > 100);
        try (CqlSession session = stack.cassandra.session()) {
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> PipelineAssertions.assertCandles(
                            CassandraTables.candles(session, KEYSPACE).stream()
                                    .filter(c -> SYMBOLS.contains(c.symbol()))
                                    .toList(),
                            expected));
        }
    }

    @Test
    void healthIsReadyWhileRunningAndMetricsCountTheRows() {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> job.get("/health/ready").status() == 200);
        assertThat(job.get("/health/live")).isEqualTo(new TradesJob.HttpResult(200, "{\"status\":\"UP\"}\n"));
        assertThat(job.get("/health/ready").body()).contains("\"status\":\"UP\"");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(job.metric("trades_job_rows_written_total{sink=\"crypto_trades\"}")
                            .orElse(-1))
                    .isGreaterThanOrEqualTo(COUNT);
            assertThat(job.metric("trades_job_query_input_rows_total{query=\"trades\"}")
                            .orElse(-1))
                    .isGreaterThanOrEqualTo(COUNT);
            assertThat(job.metric("trades_job_rows_written_total{sink=\"crypto_candles_1m\"}")
                            .orElse(-1))
                    .isGreaterThanOrEqualTo(SYMBOLS.size());
            assertThat(job.metric("trades_job_ready")).hasValue(1.0);
        });
        var executors = stack.spark.executorProcesses();
        System.out.printf(
                "RSS MiB: kafka %d, cassandra %d, spark master %d, worker %d, driver %d, executor %d%n",
                PipelineStack.rssMiB(stack.kafka.pid()),
                PipelineStack.rssMiB(stack.cassandra.pid()),
                PipelineStack.rssMiB(stack.spark.masterPid()),
                PipelineStack.rssMiB(stack.spark.workerPid()),
                PipelineStack.rssMiB(driver.pid()),
                executors.isEmpty() ? -1 : PipelineStack.rssMiB(executors.get(0).pid()));
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicAndLaterTradesStillArrive() throws Exception {
        long now = System.currentTimeMillis();
        String okId = UUID.randomUUID().toString();
        Map<String, String> reasonByRaw = new HashMap<>();
        reasonByRaw.put("this is not JSON", RejectReason.MALFORMED_JSON.label());
        reasonByRaw.put("[1, 2, 3]", RejectReason.MALFORMED_JSON.label());
        reasonByRaw.put(trade(okId, "IT:BAD", "-5.0", "1.0", now), RejectReason.INVALID_PRICE.label());
        reasonByRaw.put(
                trade(UUID.randomUUID().toString(), "IT:BAD", "0", "1.0", now), RejectReason.INVALID_PRICE.label());
        reasonByRaw.put(
                trade(UUID.randomUUID().toString(), "IT:BAD", "10.0", "-1", now), RejectReason.INVALID_VOLUME.label());
        reasonByRaw.put(
                trade(UUID.randomUUID().toString(), "", "10.0", "1.0", now), RejectReason.MISSING_SYMBOL.label());
        reasonByRaw.put(
                trade(UUID.randomUUID().toString(), "IT:BAD", "10.0", "1.0", 1234),
                RejectReason.INVALID_TIMESTAMP.label());
        reasonByRaw.put(
                "{\"symbol\":\"IT:BAD\",\"price\":10.0,\"volume\":1.0,\"timestamp_unix\":" + now
                        + ",\"conditions\":null,\"ingested_at\":" + now + "}",
                RejectReason.INVALID_ID.label());
        List<String[]> bad = new ArrayList<>();
        reasonByRaw.keySet().forEach(raw -> bad.add(new String[] {"IT:BAD", raw}));
        TestTrades.produceRaw(stack.kafka.bootstrapServers(), TOPIC, bad);

        List<TopicRecord> deadLetters =
                TopicReader.of(stack.kafka).readAtLeast(DLQ, reasonByRaw.size(), Duration.ofSeconds(90));
        assertThat(deadLetters).hasSize(reasonByRaw.size());
        Map<String, String> reasonFound = new HashMap<>();
        for (TopicRecord record : deadLetters) {
            JsonNode value = TestTrades.JSON.readTree(record.value());
            assertThat(record.key()).isEqualTo("IT:BAD");
            assertThat(value.path(TradeContract.DeadLetterFields.SOURCE).asText())
                    .isEqualTo("spark");
            assertThat(value.path(TradeContract.DeadLetterFields.DETAIL).asText())
                    .isNotBlank();
            assertThat(value.path(TradeContract.DeadLetterFields.REJECTED_AT).asLong())
                    .isGreaterThanOrEqualTo(now - 1000);
            reasonFound.put(
                    value.path(TradeContract.DeadLetterFields.RAW).asText(),
                    value.path(TradeContract.DeadLetterFields.REASON).asText());
        }
        assertThat(reasonFound).isEqualTo(reasonByRaw);

        // the query is still running: trades sent after the bad records arrive, and none of the bad ones did
        List<Trade> later = TestTrades.random(7, 100, List.of("IT:AFTER"), now, 2000);
        TestTrades.produce(stack.kafka.bootstrapServers(), TOPIC, later);
        try (CqlSession session = stack.cassandra.session()) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> PipelineAssertions.assertTradesExactly(
                            CassandraTables.trades(session, KEYSPACE).stream()
                                    .filter(r -> r.symbol().equals("IT:AFTER"))
                                    .toList(),
                            later));
            assertThat(CassandraTables.trades(session, KEYSPACE))
                    .noneMatch(r ->
                            r.symbol().equals("IT:BAD") || r.id().toString().equals(okId));
        }
        assertThat(driver.isAlive()).isTrue();
        assertThat(job.get("/health/live").status()).isEqualTo(200);
        assertThat(job.metric("trades_job_rejected_total{reason=\"invalid_price\"}"))
                .hasValue(2.0);
    }

    private static String trade(String id, String symbol, String price, String volume, long time) {
        return "{\"id\":\"" + id + "\",\"symbol\":\"" + symbol + "\",\"price\":" + price + ",\"volume\":" + volume
                + ",\"timestamp_unix\":" + time + ",\"conditions\":[\"1\"],\"ingested_at\":" + time + "}";
    }
}
