package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.uuid.Generators;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.testing.TradeBuilder;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the driver while trades stream in, then spark-submit again with the same checkpoint: Spark replays the
 * batch that did not commit, the trade writes are upserts by id, and a candle that already holds the replayed batch
 * is not merged again, so nothing is lost and nothing is counted twice, in the trades or in the candles.
 */
class DriverKillIT {

    private static final int COUNT = 5000;
    private static final String TOPIC = "it-kill-trades";
    private static final String KEYSPACE = "it_kill";
    private static final List<String> SYMBOLS = List.of("KILL:BTCUSDT", "KILL:ETHUSDT", "KILL:SOLUSDT");

    @TempDir
    Path workDir;

    @Test
    void killNineMidStreamThenResubmitWithTheSameCheckpointLosesAndDuplicatesNothing() throws Exception {
        PipelineStack stack = PipelineStack.get();
        PipelineStack.createTopics(stack.kafka, TOPIC, TOPIC + "-dlq");
        try (CqlSession session = stack.cassandra.session()) {
            CassandraTables.createSchema(session, KEYSPACE);
        }
        List<Trade> trades = streamOfTrades(
                System.currentTimeMillis() - Duration.ofMinutes(6).toMillis());
        TradesJob job = new TradesJob("it-kill", TOPIC, TOPIC + "-dlq", KEYSPACE, workDir);

        // 1,000 trades before the job starts, the other 4,000 streamed in (40 chunks of 100, one every 500 ms) once
        // the job has written its first rows; the driver is killed while they stream in and stays dead a while
        TestTrades.produce(stack.kafka.bootstrapServers(), TOPIC, trades.subList(0, 1000));
        SparkDriver first = job.submit();
        SparkDriver second = null;
        CompletableFuture<Void> producing = new CompletableFuture<>();
        AtomicBoolean stopProducing = new AtomicBoolean();
        try (CqlSession session = stack.cassandra.session()) {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("first driver exited: " + first, () -> !first.isAlive())
                    .until(() -> CassandraTables.tradeCount(session, KEYSPACE) > 0);
            CompletableFuture.runAsync(() -> {
                        for (int i = 1000; i < COUNT && !stopProducing.get(); i += 100) {
                            TestTrades.produce(stack.kafka.bootstrapServers(), TOPIC, trades.subList(i, i + 100));
                            sleep(500);
                        }
                    })
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            producing.completeExceptionally(e);
                        } else {
                            producing.complete(null);
                        }
                    });
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("first driver exited: " + first, () -> !first.isAlive())
                    .until(() -> CassandraTables.tradeCount(session, KEYSPACE) >= 1500);
            first.kill();
            long atKill = CassandraTables.tradeCount(session, KEYSPACE);
            System.out.printf(
                    "kill -9 of the driver with %d of %d trades written, producer still running: %s%n",
                    atKill, COUNT, !producing.isDone());
            assertThat(producing).as("trades still streaming in at the kill").isNotDone();
            assertThat(atKill).isLessThan(COUNT);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> stack.spark.status().activeApp("it-kill").isEmpty()
                            && stack.spark.executorProcesses().isEmpty());

            long resubmitted = System.nanoTime();
            second = job.submit();
            SparkDriver again = second;
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("second driver exited: " + again, () -> !again.isAlive())
                    .until(() -> producing.isDone() && CassandraTables.tradeCount(session, KEYSPACE) >= COUNT);
            System.out.printf(
                    "after resubmission: all %d trades in %d ms%n",
                    COUNT, (System.nanoTime() - resubmitted) / 1_000_000);
            producing.join();

            assertThat(CassandraTables.tradeCount(session, KEYSPACE)).isEqualTo(COUNT);
            PipelineAssertions.assertTradesExactly(CassandraTables.trades(session, KEYSPACE), trades);
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> PipelineAssertions.assertCandles(
                            CassandraTables.candles(session, KEYSPACE), ExpectedCandles.of(trades)));
            assertThat(Files.readString(second.logFile())).contains("Resuming at batch");
        } finally {
            first.kill();
            if (second != null) {
                second.stop(Duration.ofSeconds(90));
            }
            stopProducing.set(true);
        }
    }

    /** Trade times rising with production order (40 ms apart, jitter below 2 s). */
    private static List<Trade> streamOfTrades(long firstMillis) {
        Random random = new Random(11);
        var ids = Generators.timeBasedEpochGenerator();
        List<Trade> trades = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            long time = i % 10 == 9 ? trades.get(i - 1).timestampUnix() : firstMillis + i * 40L + random.nextInt(2000);
            trades.add(TradeBuilder.trade()
                    .id(ids.generate())
                    .symbol(SYMBOLS.get(random.nextInt(SYMBOLS.size())))
                    .price(1000 + random.nextDouble() * 1000)
                    .volume(random.nextDouble())
                    .timestampUnix(time)
                    .conditions(i % 3 == 0 ? null : List.of(Integer.toString(i % 7)))
                    .ingestedAt(time + 3)
                    .build());
        }
        return trades;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
