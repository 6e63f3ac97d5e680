package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.spark.health.HealthServer;
import io.streamingpipeline.spark.health.PipelineMetrics;
import io.streamingpipeline.spark.health.StreamingHealth;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.collection.JavaConverters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.id;
import static io.streamingpipeline.spark.TestTrades.trade;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The job's two queries as the job wires them, with in-memory sources and sinks instead of Kafka and Cassandra:
 * micro-batch by micro-batch, a minute's trades spread over several batches, out of order, and a late trade.
 */
class StreamingPipelineTest {

    private static final Duration SKEW = Duration.ofHours(1);
    private static final Duration WATERMARK = Duration.ofSeconds(30);

    private final SparkSession spark = LocalSpark.session();
    private final List<Row> trades = Collections.synchronizedList(new ArrayList<>());
    private final List<Row> deadLetters = Collections.synchronizedList(new ArrayList<>());
    private final List<Row> candles = Collections.synchronizedList(new ArrayList<>());
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final StreamingHealth health = new StreamingHealth(
            Set.of(TradesToCassandraJob.TRADES_QUERY, TradesToCassandraJob.CANDLES_QUERY), Duration.ofMinutes(2), Clock.systemUTC());
    private final List<StreamingQuery> queries = new ArrayList<>();
    private HealthServer server;

    @AfterEach
    void stop() throws Exception {
        for (StreamingQuery q : queries) {
            q.stop();
        }
        spark.streams().removeListener(health);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void candlesStayCorrectAcrossMicroBatchesAndLateTradesAreCounted(@TempDir Path checkpoints) throws Exception {
        spark.streams().addListener(health);
        server = HealthServer.start("127.0.0.1", 0, health, metrics);
        MemoryStream<String> tradesInput = new MemoryStream<>(1, spark.sqlContext(), Option.apply(2), Encoders.STRING());
        MemoryStream<String> candlesInput = new MemoryStream<>(2, spark.sqlContext(), Option.apply(2), Encoders.STRING());

        EventTimeWatermark watermark = new EventTimeWatermark(WATERMARK,
                () -> health.watermarkMillis(TradesToCassandraJob.CANDLES_QUERY));
        StreamingQuery tradesQuery = asKafka(tradesInput).writeStream()
                .queryName(TradesToCassandraJob.TRADES_QUERY)
                .option("checkpointLocation", checkpoints.resolve("trades").toString())
                .foreachBatch(new TradesBatchWriter(SKEW, collectInto(trades), CassandraSchema.TRADES_TABLE,
                        collectInto(deadLetters), "crypto_trades_dlq", watermark, metrics, () -> 42L))
                .start();
        queries.add(tradesQuery);
        Dataset<Row> valid = TradeParsing.parse(asKafka(candlesInput), SKEW).valid();
        StreamingQuery candlesQuery = Candles.oneMinute(valid.withWatermark(TradeParsing.EVENT_TIME, "30 seconds"))
                .writeStream()
                .queryName(TradesToCassandraJob.CANDLES_QUERY)
                .outputMode(OutputMode.Update())
                .option("checkpointLocation", checkpoints.resolve("candles").toString())
                .foreachBatch(new CandlesBatchWriter(collectInto(candles), CassandraSchema.CANDLES_TABLE, metrics))
                .start();
        queries.add(candlesQuery);

        // batch 1: minute M0 out of order, and a record that is not JSON
        send(List.of(tradesInput, candlesInput), List.of(tradesQuery, candlesQuery),
                trade(id(30), "A", 101, 1, T0 + 30_000),
                trade(id(10), "A", 100, 2, T0 + 10_000),
                trade(id(50), "A", 102, 1, T0 + 50_000),
                "not json");
        assertThat(latestCandle("A", T0)).satisfies(c -> {
            assertThat(c.<Double>getAs(CandleColumns.OPEN)).isEqualTo(100.0);
            assertThat(c.<Double>getAs(CandleColumns.CLOSE)).isEqualTo(102.0);
            assertThat(c.<Long>getAs(CandleColumns.TRADE_COUNT)).isEqualTo(3L);
        });

        // batch 2: an earlier trade of M0 (new open), a tie on M0's last millisecond (larger id closes), and M2
        // moves the watermark to T0+120s-30s = T0+90s
        send(List.of(tradesInput, candlesInput), List.of(tradesQuery, candlesQuery),
                trade(id(5), "A", 99, 1, T0 + 5_000),
                trade(id(51), "A", 103, 1, T0 + 50_000),
                trade(id(60), "A", 200, 1, T0 + 120_000));
        assertThat(latestCandle("A", T0)).satisfies(c -> {
            assertThat(c.<Double>getAs(CandleColumns.OPEN)).isEqualTo(99.0);
            assertThat(c.<Double>getAs(CandleColumns.CLOSE)).isEqualTo(103.0);
            assertThat(c.<Double>getAs(CandleColumns.HIGH)).isEqualTo(103.0);
            assertThat(c.<Double>getAs(CandleColumns.LOW)).isEqualTo(99.0);
            assertThat(c.<Double>getAs(CandleColumns.VOLUME)).isEqualTo(6.0);
            assertThat(c.<Long>getAs(CandleColumns.TRADE_COUNT)).isEqualTo(5L);
            assertThat(c.<Double>getAs(CandleColumns.VWAP)).isCloseTo((101 + 200 + 102 + 99 + 103) / 6.0, within(1e-9));
        });

        // batch 3: M0 is closed (its end T0+60s <= watermark T0+90s): its late trade is stored and counted, but
        // the candle stays; M1 is still open (end T0+120s > T0+90s)
        int candleRowsBefore = candles.size();
        send(List.of(tradesInput, candlesInput), List.of(tradesQuery, candlesQuery),
                trade(id(20), "A", 1, 1000, T0 + 20_000),
                trade(id(70), "A", 150, 1, T0 + 70_000));
        assertThat(latestCandle("A", T0).<Long>getAs(CandleColumns.TRADE_COUNT)).isEqualTo(5L);
        assertThat(candles.subList(candleRowsBefore, candles.size()))
                .noneMatch(c -> c.<Timestamp>getAs(CandleColumns.MINUTE_START).getTime() == T0);
        assertThat(latestCandle("A", T0 + 60_000).<Long>getAs(CandleColumns.TRADE_COUNT)).isEqualTo(1L);

        assertThat(trades).hasSize(8);
        assertThat(trades).extracting(r -> r.<String>getAs("id")).contains(id(20)); // the late trade is kept
        assertThat(deadLetters).hasSize(1);
        assertThat(metrics.lateTrades()).isEqualTo(1);
        assertThat(metrics.rejectedByReason()).containsEntry("malformed_json", 1L);
        assertThat(metrics.rowsWrittenBySink()).containsEntry(CassandraSchema.TRADES_TABLE, 8L)
                .containsEntry(CassandraSchema.CANDLES_TABLE, (long) candles.size());

        // the listener's numbers on the endpoint
        await(() -> health.readiness().up() && health.queries().get("trades").inputRowsTotal() == 9);
        HttpClient http = HttpClient.newHttpClient();
        String metricsText = get(http, HealthServer.METRICS).body();
        assertThat(metricsText)
                .contains("trades_job_ready 1\n")
                .contains("trades_job_query_active{query=\"trades\"} 1\n")
                .contains("trades_job_query_active{query=\"candles\"} 1\n")
                .contains("trades_job_query_input_rows_total{query=\"trades\"} 9\n")
                .contains("trades_job_rejected_total{reason=\"malformed_json\"} 1\n")
                .contains("trades_job_late_trades_total 1\n")
                .contains("trades_job_rows_written_total{sink=\"crypto_trades\"} 8\n")
                .contains("trades_job_rows_written_total{sink=\"crypto_trades_dlq\"} 1\n")
                .contains("trades_job_event_time_watermark_seconds{query=\"candles\"} " + (T0 + 90_000) / 1000 + "\n")
                .containsPattern("trades_job_query_last_batch_id\\{query=\"trades\"} [2-9]\n");
        assertThat(get(http, HealthServer.READY).statusCode()).isEqualTo(200);
        assertThat(get(http, HealthServer.LIVE).statusCode()).isEqualTo(200);

        GracefulStop.stopAll(List.of(tradesQuery, candlesQuery), Duration.ofSeconds(10));
        assertThat(tradesQuery.isActive()).isFalse();
        assertThat(candlesQuery.isActive()).isFalse();
        await(() -> !health.readiness().up());
        assertThat(get(http, HealthServer.READY).body()).contains("query trades is stopped");
        assertThat(get(http, HealthServer.LIVE).statusCode()).isEqualTo(200); // stopped, not failed
    }

    private HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What the Kafka source gives: key, value as bytes, record timestamp. */
    private static Dataset<Row> asKafka(MemoryStream<String> input) {
        return input.toDF().select(
                lit(null).cast(DataTypes.BinaryType).as("key"),
                col("value").cast(DataTypes.BinaryType).as("value"),
                lit(new Timestamp(T0 + 3_600_000)).as("timestamp"));
    }

    private static BatchSink collectInto(List<Row> rows) {
        return batch -> rows.addAll(batch.collectAsList());
    }

    private static void send(List<MemoryStream<String>> inputs, List<StreamingQuery> queries, String... values) {
        for (MemoryStream<String> input : inputs) {
            input.addData(JavaConverters.asScalaBuffer(List.of(values)).toSeq());
        }
        for (StreamingQuery q : queries) {
            q.processAllAvailable();
        }
    }

    private Row latestCandle(String symbol, long minuteStart) {
        synchronized (candles) {
            Row latest = null;
            for (Row c : candles) {
                if (symbol.equals(c.getAs(CandleColumns.SYMBOL))
                        && c.<Timestamp>getAs(CandleColumns.MINUTE_START).getTime() == minuteStart) {
                    latest = c;
                }
            }
            assertThat(latest).as("a candle for %s at %d", symbol, minuteStart).isNotNull();
            return latest;
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 20 s");
            }
            Thread.sleep(50);
        }
    }

}
