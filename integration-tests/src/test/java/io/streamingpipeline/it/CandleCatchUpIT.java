package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.uuid.Generators;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.testing.TradeBuilder;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catch-up batch: 50 symbols × every minute of 24 hours (72,000 candle keys, in 100 (symbol, day) partitions),
 * all in Kafka before the job starts, read in one micro-batch and merged into exact candles, with the Cassandra
 * connection settings Compose and Kubernetes use (the connector's defaults: no {@code spark.cassandra.connection.*}
 * tuning). The driver reads the candles per (symbol, day) partition and keeps a bounded number of requests in flight;
 * one request per key, all at once, is what the driver's connections refused.
 */
class CandleCatchUpIT {

    private static final int SYMBOLS = 50;
    private static final int MINUTES = 24 * 60;
    private static final String TOPIC = "it-candle-catchup";
    private static final String KEYSPACE = "it_candle_catchup";

    @TempDir
    java.nio.file.Path workDir;

    @Test
    void oneBatchTouchingSeventyTwoThousandCandlesStoresThemExactly() throws Exception {
        PipelineStack stack = PipelineStack.get();
        PipelineStack.createTopics(stack.kafka, TOPIC, TOPIC + "-dlq");
        try (CqlSession session = stack.cassandra.session()) {
            CassandraTables.createSchema(session, KEYSPACE);
        }
        List<Trade> trades = everyMinuteOfADay(
                System.currentTimeMillis() - Duration.ofHours(25).toMillis());
        long keys = ExpectedCandles.of(trades).size();
        assertThat(keys).isEqualTo((long) SYMBOLS * MINUTES);
        TestTrades.produce(stack.kafka.bootstrapServers(), TOPIC, trades);

        TradesJob job = new TradesJob("it-candle-catchup", TOPIC, TOPIC + "-dlq", KEYSPACE, workDir);
        long submitted = System.nanoTime();
        SparkDriver driver = job.submit(); // --max-offsets-per-trigger 100000 by default: one batch
        try (CqlSession session = stack.cassandra.session()) {
            CandleReplayIT.awaitExact(session, KEYSPACE, trades, driver);
            System.out.printf(
                    "catch-up batch: %d trades, %d candles exact %d s after spark-submit%n",
                    trades.size(), keys, (System.nanoTime() - submitted) / 1_000_000_000);
            assertThat(job.metric("trades_job_query_last_batch_id{query=\"trades\"}"))
                    .as("batches run")
                    .hasValue(0.0);
            assertThat(job.metric("trades_job_rows_written_total{sink=\"crypto_candles_1m\"}"))
                    .hasValue((double) keys);
        } finally {
            driver.stop(Duration.ofSeconds(90));
        }
    }

    /** One trade in each minute of 24 hours for each symbol, plus a tenth more at random (ties included). */
    private static List<Trade> everyMinuteOfADay(long fromMillis) {
        long firstMinute = Math.floorDiv(fromMillis, ExpectedCandles.MINUTE_MILLIS) * ExpectedCandles.MINUTE_MILLIS;
        Random random = new Random(61);
        var ids = Generators.timeBasedEpochGenerator();
        List<Trade> trades = new ArrayList<>();
        for (int s = 0; s < SYMBOLS; s++) {
            String symbol = String.format("CATCHUP:S%02dUSDT", s);
            for (int m = 0; m < MINUTES; m++) {
                int inMinute = random.nextInt(10) == 0 ? 2 : 1;
                for (int t = 0; t < inMinute; t++) {
                    long time = firstMinute + m * ExpectedCandles.MINUTE_MILLIS + random.nextInt(60_000);
                    trades.add(TradeBuilder.trade()
                            .id(ids.generate())
                            .symbol(symbol)
                            .price(100 + random.nextDouble() * 1000)
                            .volume(random.nextDouble() * 5)
                            .timestampUnix(time)
                            .conditions((List<String>) null)
                            .ingestedAt(time + 5)
                            .build());
                }
            }
        }
        return trades;
    }
}
