package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.CandleRow;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Candles stay exact whatever replays the trades topic: a crash between the candle write and Spark's commit, a new
 * checkpoint that reads the topic again from {@code earliest} over existing candles, and two drivers on one
 * checkpoint at once. Faults are injected deterministically, by the job's driver system properties
 * ({@code io.streamingpipeline.spark.FaultInjection}).
 */
class CandleReplayIT {

    private static final List<String> SYMBOLS =
            List.of("CANDLE:BTCUSDT", "CANDLE:ETHUSDT", "CANDLE:SOLUSDT", "CANDLE:XRPUSDT");
    private static final String HALT_AFTER_CANDLES_OF_BATCH = "-Dtrades.fault.halt-after-candles-of-batch=";
    private static final String HOLD_CANDLE_WRITES_UNTIL = "-Dtrades.fault.hold-candle-writes-until=";

    @TempDir
    Path workDir;

    @Test
    void aCrashBetweenTheCandleWriteAndTheCommitIsReplayedWithoutCountingTwice() throws Exception {
        PipelineStack stack = PipelineStack.get();
        String topic = "it-candle-crash";
        String keyspace = "it_candle_crash";
        prepare(stack, topic, keyspace);
        long first = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        List<Trade> batch0 = TestTrades.random(
                21, 2000, SYMBOLS, first, Duration.ofMinutes(4).toMillis());
        List<Trade> later = TestTrades.random(
                22,
                1000,
                SYMBOLS,
                first + Duration.ofMinutes(2).toMillis(),
                Duration.ofMinutes(4).toMillis());
        TestTrades.produce(stack.kafka.bootstrapServers(), topic, batch0);
        TradesJob job = new TradesJob("it-candle-crash", topic, topic + "-dlq", keyspace, workDir);

        SparkDriver crashing = job.submit(List.of(HALT_AFTER_CANDLES_OF_BATCH + 0), 0);
        SparkDriver resumed = null;
        try (CqlSession session = stack.cassandra.session()) {
            assertThat(crashing.awaitExit(Duration.ofMinutes(4)))
                    .as("exit code of the halted driver")
                    .isEqualTo(137);
            assertThat(Files.readString(crashing.logFile()))
                    .contains("halting the driver after the candles of batch 0");
            // batch 0 is in both tables, and not committed
            PipelineAssertions.assertTradesExactly(CassandraTables.trades(session, keyspace), batch0);
            PipelineAssertions.assertCandles(CassandraTables.candles(session, keyspace), ExpectedCandles.of(batch0));
            awaitApplicationGone(stack, "it-candle-crash");

            resumed = job.submit();
            SparkDriver running = resumed;
            TestTrades.produce(stack.kafka.bootstrapServers(), topic, later);
            List<Trade> all = concat(batch0, later);
            awaitExact(session, keyspace, all, running);
            assertThat(Files.readString(resumed.logFile())).contains("Resuming at batch 0");
        } finally {
            crashing.kill();
            if (resumed != null) {
                resumed.stop(Duration.ofSeconds(90));
            }
        }
    }

    @Test
    void aNewCheckpointFromEarliestOverExistingCandlesCountsEachTradeOnce() throws Exception {
        PipelineStack stack = PipelineStack.get();
        String topic = "it-candle-reset";
        String keyspace = "it_candle_reset";
        prepare(stack, topic, keyspace);
        long first = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        List<Trade> before = TestTrades.random(
                31, 2000, SYMBOLS, first, Duration.ofMinutes(4).toMillis());
        // after the first checkpoint's last batch, in minutes it merged only in part
        List<Trade> after = TestTrades.random(
                32,
                1500,
                SYMBOLS,
                first + Duration.ofMinutes(2).toMillis(),
                Duration.ofMinutes(4).toMillis());
        TestTrades.produce(stack.kafka.bootstrapServers(), topic, before);

        TradesJob job = new TradesJob("it-candle-reset-1", topic, topic + "-dlq", keyspace, workDir.resolve("first"));
        SparkDriver firstDriver = job.submit();
        SparkDriver secondDriver = null;
        try (CqlSession session = stack.cassandra.session()) {
            awaitExact(session, keyspace, before, firstDriver);
            assertThat(firstDriver.stop(Duration.ofSeconds(90))).isTrue();
            // SIGTERM's exit code (128 + 15), after the graceful stop (spark-streaming README)
            assertThat(firstDriver.exitCode())
                    .as("the driver's exit code after SIGTERM")
                    .contains(143);
            awaitApplicationGone(stack, "it-candle-reset-1");

            // the checkpoint is lost (a new volume, an operator's reset): a new one, from earliest
            TestTrades.produce(stack.kafka.bootstrapServers(), topic, after);
            TradesJob reset =
                    new TradesJob("it-candle-reset-2", topic, topic + "-dlq", keyspace, workDir.resolve("second"));
            secondDriver = reset.submit(); // --starting-offsets earliest
            List<Trade> all = concat(before, after);
            awaitExact(session, keyspace, all, secondDriver);
            String log = Files.readString(secondDriver.logFile());
            assertThat(log)
                    .as("the new checkpoint's batch straddled stored merge positions")
                    .contains("Candles held in part by earlier merges");
            // a while later, still exact (nothing merged again)
            Thread.sleep(5_000);
            PipelineAssertions.assertCandles(CassandraTables.candles(session, keyspace), ExpectedCandles.of(all));
        } finally {
            firstDriver.kill();
            if (secondDriver != null) {
                secondDriver.stop(Duration.ofSeconds(90));
            }
        }
    }

    @Test
    void twoDriversOnOneCheckpointDoNotOverwriteEachOthersMerges() throws Exception {
        PipelineStack stack = PipelineStack.get();
        String topic = "it-candle-twice";
        String keyspace = "it_candle_twice";
        prepare(stack, topic, keyspace);
        long first = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        List<Trade> batch0 = TestTrades.random(
                41, 1500, SYMBOLS, first, Duration.ofMinutes(3).toMillis());
        List<Trade> later = TestTrades.random(
                42, 1000, SYMBOLS, first, Duration.ofMinutes(3).toMillis());
        TestTrades.produce(stack.kafka.bootstrapServers(), topic, batch0);
        Path gate = workDir.resolve("release-held-candle-writes");
        // one checkpoint (workDir/checkpoint), two submissions with their own names and health ports, a core each
        TradesJob slow = new TradesJob("it-candle-twice-a", topic, topic + "-dlq", keyspace, workDir);
        TradesJob fast = new TradesJob("it-candle-twice-b", topic, topic + "-dlq", keyspace, workDir);

        SparkDriver held = slow.submit(List.of(HOLD_CANDLE_WRITES_UNTIL + gate), 1);
        SparkDriver other = null;
        try (CqlSession session = stack.cassandra.session()) {
            // driver A has written batch 0's trades, read its candles, and waits before writing them
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("driver A exited: " + held, () -> !held.isAlive())
                    .until(() -> Files.readString(held.logFile()).contains("holding"));
            // driver B, same checkpoint: replays batch 0, commits it, and merges a batch 1 into the same candles
            other = fast.submit(List.of(), 1);
            SparkDriver b = other;
            awaitExact(session, keyspace, batch0, b);
            TestTrades.produce(stack.kafka.bootstrapServers(), topic, later);
            List<Trade> all = concat(batch0, later);
            awaitExact(session, keyspace, all, b);

            // A writes now what it merged from its stale read: its condition fails, it reads again, finds batch 0
            // merged, and writes nothing
            Files.writeString(gate, "go");
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> Files.readString(held.logFile())
                            .contains("were merged by another writer since they were read"));
            held.waitFor(Duration.ofSeconds(60));
            System.out.printf(
                    "driver A after the release: %s%n", held.isAlive() ? "running" : "exited " + held.exitCode());
            PipelineAssertions.assertTradesExactly(CassandraTables.trades(session, keyspace), all);
            PipelineAssertions.assertCandles(CassandraTables.candles(session, keyspace), ExpectedCandles.of(all));
        } finally {
            held.stop(Duration.ofSeconds(30));
            if (other != null) {
                other.stop(Duration.ofSeconds(90));
            }
        }
    }

    /** The topic, its dead-letter topic ({@code <topic>-dlq}) and the keyspace with the contract's tables. */
    static void prepare(PipelineStack stack, String topic, String keyspace) {
        PipelineStack.createTopics(stack.kafka, topic, topic + "-dlq");
        try (CqlSession session = stack.cassandra.session()) {
            CassandraTables.createSchema(session, keyspace);
        }
    }

    /** Waits until the tables hold exactly these trades and their candles (fails fast if the driver exits). */
    static void awaitExact(CqlSession session, String keyspace, List<Trade> trades, SparkDriver driver) {
        List<CandleRow> expected = ExpectedCandles.of(trades);
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .failFast("driver exited: " + driver, () -> !driver.isAlive())
                .untilAsserted(() -> {
                    PipelineAssertions.assertTradesExactly(CassandraTables.trades(session, keyspace), trades);
                    PipelineAssertions.assertCandles(CassandraTables.candles(session, keyspace), expected);
                });
    }

    static void awaitApplicationGone(PipelineStack stack, String name) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> stack.spark.status().activeApp(name).isEmpty()
                        && stack.spark.executorProcesses().isEmpty());
    }

    static List<Trade> concat(List<Trade> a, List<Trade> b) {
        List<Trade> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
