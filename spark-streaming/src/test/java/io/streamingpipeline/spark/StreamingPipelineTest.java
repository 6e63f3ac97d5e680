package io.streamingpipeline.spark;

import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.id;
import static io.streamingpipeline.spark.TestTrades.trade;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.spark.candles.Candle;
import io.streamingpipeline.spark.candles.InMemoryCandleStore;
import io.streamingpipeline.spark.candles.MergedCandle;
import io.streamingpipeline.spark.candles.SourceTopic;
import io.streamingpipeline.spark.health.HealthServer;
import io.streamingpipeline.spark.health.PipelineMetrics;
import io.streamingpipeline.spark.health.SkippedOffsets;
import io.streamingpipeline.spark.health.StreamingHealth;
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
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The job's query as the job wires it, with an in-memory source and sinks instead of Kafka and Cassandra:
 * micro-batch by micro-batch, a minute's trades spread over several batches, out of order, and a late trade.
 */
class StreamingPipelineTest {

    private static final Duration SKEW = Duration.ofHours(1);

    private final SparkSession spark = LocalSpark.session();
    private final List<Row> trades = Collections.synchronizedList(new ArrayList<>());
    private final List<Row> deadLetters = Collections.synchronizedList(new ArrayList<>());
    private final InMemoryCandleStore candles = new InMemoryCandleStore();
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final StreamingHealth health =
            new StreamingHealth(Set.of(TradesToCassandraJob.TRADES_QUERY), Duration.ofMinutes(2), Clock.systemUTC());
    private final List<StreamingQuery> queries = new ArrayList<>();
    private HealthServer server;
    private long nextOffset;

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
    void candlesStayCorrectAcrossMicroBatchesAndLateTradesStillCount(@TempDir Path checkpoints) throws Exception {
        spark.streams().addListener(health);
        server = HealthServer.start("127.0.0.1", 0, health, metrics);
        MemoryStream<String> input = new MemoryStream<>(1, spark.sqlContext(), Option.apply(2), Encoders.STRING());
        StreamingQuery query = start(input, checkpoints);

        // batch 1: minute M0 out of order, and a record that is not JSON
        send(
                input,
                query,
                trade(id(30), "A", 101, 1, T0 + 30_000),
                trade(id(10), "A", 100, 2, T0 + 10_000),
                trade(id(50), "A", 102, 1, T0 + 50_000),
                "not json");
        assertThat(candle("A", T0)).satisfies(c -> {
            assertThat(c.open()).isEqualTo(100.0);
            assertThat(c.close()).isEqualTo(102.0);
            assertThat(c.tradeCount()).isEqualTo(3L);
        });

        // batch 2: an earlier trade of M0 (new open), a tie on M0's last millisecond (larger id closes), and M2
        send(
                input,
                query,
                trade(id(5), "A", 99, 1, T0 + 5_000),
                trade(id(51), "A", 103, 1, T0 + 50_000),
                trade(id(60), "A", 200, 1, T0 + 120_000));
        assertThat(candle("A", T0)).satisfies(c -> {
            assertThat(c.open()).isEqualTo(99.0);
            assertThat(c.close()).isEqualTo(103.0);
            assertThat(c.high()).isEqualTo(103.0);
            assertThat(c.low()).isEqualTo(99.0);
            assertThat(c.volume()).isEqualTo(6.0);
            assertThat(c.tradeCount()).isEqualTo(5L);
            assertThat(c.vwap()).isCloseTo((101 + 200 + 102 + 99 + 103) / 6.0, within(1e-9));
        });

        // batch 3, after a restart from the checkpoint: a trade of M0 two minutes late still counts in M0
        GracefulStop.stopAll(List.of(query), Duration.ofSeconds(10));
        query = start(input, checkpoints);
        send(input, query, trade(id(20), "A", 1, 1000, T0 + 20_000), trade(id(70), "A", 150, 1, T0 + 70_000));
        assertThat(candle("A", T0)).satisfies(c -> {
            assertThat(c.tradeCount()).isEqualTo(6L);
            assertThat(c.low()).isEqualTo(1.0);
            assertThat(c.volume()).isEqualTo(1006.0);
        });
        assertThat(candle("A", T0 + 60_000).tradeCount()).isEqualTo(1L);
        assertThat(candle("A", T0 + 120_000).tradeCount()).isEqualTo(1L);
        // every candle records the query (the same id after the restart) and the last batch merged into it
        UUID queryId = query.id();
        assertThat(candles.merged()).allSatisfy(c -> assertThat(c.query()).isEqualTo(queryId));
        assertThat(candles.merged()).extracting(MergedCandle::batch).containsOnly(1L, 2L);

        assertThat(trades).hasSize(8);
        assertThat(deadLetters).hasSize(1);
        assertThat(metrics.rejectedByReason()).containsEntry("malformed_json", 1L);
        assertThat(metrics.rowsWrittenBySink())
                .containsEntry(CassandraSchema.TRADES_TABLE, 8L)
                .containsEntry(CassandraSchema.CANDLES_TABLE, (long) candles.written());

        // the listener's numbers on the endpoint
        await(() -> health.readiness().up() && health.queries().get("trades").inputRowsTotal() == 2);
        HttpClient http = HttpClient.newHttpClient();
        String metricsText = get(http, HealthServer.METRICS).body();
        assertThat(metricsText)
                .contains("trades_job_ready 1\n")
                .contains("trades_job_query_active{query=\"trades\"} 1\n")
                .contains("trades_job_rejected_total{reason=\"malformed_json\"} 1\n")
                .contains("trades_job_rows_written_total{sink=\"crypto_trades\"} 8\n")
                .contains("trades_job_rows_written_total{sink=\"crypto_trades_dlq\"} 1\n")
                .containsPattern("trades_job_query_last_batch_id\\{query=\"trades\"} 2\n");
        assertThat(get(http, HealthServer.READY).statusCode()).isEqualTo(200);
        assertThat(get(http, HealthServer.LIVE).statusCode()).isEqualTo(200);

        GracefulStop.stopAll(List.of(query), Duration.ofSeconds(10));
        assertThat(query.isActive()).isFalse();
        await(() -> !health.readiness().up());
        assertThat(get(http, HealthServer.READY).body()).contains("query trades is stopped");
        assertThat(get(http, HealthServer.LIVE).statusCode()).isEqualTo(200); // stopped, not failed
    }

    private StreamingQuery start(MemoryStream<String> input, Path checkpoints) throws Exception {
        StreamingQuery query = asKafka(input)
                .writeStream()
                .queryName(TradesToCassandraJob.TRADES_QUERY)
                .option("checkpointLocation", checkpoints.resolve("trades").toString())
                .foreachBatch(new TradesBatchWriter(
                        SKEW,
                        SourceTopic.named("crypto_trades"),
                        collectInto(trades),
                        CassandraSchema.TRADES_TABLE,
                        candles,
                        CassandraSchema.CANDLES_TABLE,
                        collectInto(deadLetters),
                        "crypto_trades_dlq",
                        metrics,
                        new SkippedOffsets("crypto_trades", metrics),
                        () -> 42L))
                .start();
        queries.add(query);
        return query;
    }

    private HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** What the Kafka source gives: key, value as bytes, record timestamp, partition 0 and the offset {@link #send} set. */
    private static Dataset<Row> asKafka(MemoryStream<String> input) {
        return input.toDF()
                .select(
                        lit(null).cast(DataTypes.BinaryType).as("key"),
                        expr("substring(value, instr(value, '\\t') + 1)")
                                .cast(DataTypes.BinaryType)
                                .as("value"),
                        lit(new Timestamp(T0 + 3_600_000)).as("timestamp"),
                        lit(0).as("partition"),
                        expr("substring_index(value, '\\t', 1)")
                                .cast(DataTypes.LongType)
                                .as("offset"));
    }

    private static BatchSink collectInto(List<Row> rows) {
        return batch -> rows.addAll(batch.collectAsList());
    }

    /** Appends the records with the next offsets (each value prefixed by its offset and a tab: see {@link #asKafka}). */
    private void send(MemoryStream<String> input, StreamingQuery query, String... values) {
        List<String> records = new ArrayList<>();
        for (String value : values) {
            records.add(nextOffset++ + "\t" + value);
        }
        input.addData(JavaConverters.asScalaBuffer(records).toSeq());
        query.processAllAvailable();
    }

    private Candle candle(String symbol, long minuteStart) {
        return candles.candles().stream()
                .filter(c -> c.symbol().equals(symbol) && c.minuteStart() == minuteStart)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no candle for " + symbol + " at " + minuteStart));
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
