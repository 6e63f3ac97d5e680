package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.localstack.pipeline.TradesJobLaunch;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job restarted on its checkpoint with other tables to write: a changed {@code --keyspace}, the candle table
 * emptied by {@code TRUNCATE}, or dropped and created again. Written on, the new tables would get only the trades
 * after the checkpoint's offsets, and candles without the trades before them. The driver refuses to start, says why
 * and what to do, and writes nothing; the operator's answer, a new checkpoint from {@code earliest}, fills the new
 * keyspace with every trade and exact candles.
 */
class SinkTablesChangedIT {

    private static final List<String> SYMBOLS = List.of("SINK:BTCUSDT", "SINK:ETHUSDT", "SINK:SOLUSDT");

    @TempDir
    Path workDir;

    @Test
    void otherTablesOnTheSameCheckpointAreRefusedAndANewCheckpointFillsThem() throws Exception {
        PipelineStack stack = PipelineStack.get();
        String topic = "it-sink-changed";
        String first = "it_sink_first";
        String second = "it_sink_second";
        CandleReplayIT.prepare(stack, topic, first);
        long start = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        long span = Duration.ofMinutes(3).toMillis();
        List<Trade> stored = TestTrades.random(91, 800, SYMBOLS, start, span);
        List<Trade> later = TestTrades.random(92, 300, SYMBOLS, start, span);
        TestTrades.produce(stack.kafka.bootstrapServers(), topic, stored);
        Path checkpoint = workDir.resolve("checkpoint");

        SparkDriver writing = new TradesJob("it-sink-first", topic, topic + "-dlq", first, checkpoint).submit();
        SparkDriver otherKeyspace = null;
        SparkDriver truncated = null;
        SparkDriver tableCreatedAgain = null;
        SparkDriver fresh = null;
        try (CqlSession session = stack.cassandra.session()) {
            CandleReplayIT.awaitExact(session, first, stored, writing);
            assertThat(writing.stop(Duration.ofSeconds(90))).isTrue();
            CandleReplayIT.awaitApplicationGone(stack, "it-sink-first");
            TestTrades.produce(stack.kafka.bootstrapServers(), topic, later);

            CassandraTables.createSchema(session, second);
            otherKeyspace = new TradesJob("it-sink-second", topic, topic + "-dlq", second, checkpoint).submit();
            DriverExit exit = DriverExit.await(otherKeyspace, Duration.ofMinutes(4), "wrote its trades and candles");
            assertThat(exit.code()).as("exit code on another keyspace").isEqualTo(TradesJobLaunch.EXIT_REFUSED);
            assertThat(exit.line())
                    .startsWith(TradesJobLaunch.REFUSED)
                    .contains("to the keyspace '" + first + "', and the job now writes to '" + second + "'")
                    .contains("Start with a new --checkpoint-location and --starting-offsets earliest");
            assertThat(CassandraTables.trades(session, second))
                    .as("trades written to " + second)
                    .isEmpty();
            CandleReplayIT.awaitApplicationGone(stack, "it-sink-second");

            session.execute(SimpleStatement.newInstance("TRUNCATE " + first + "." + CassandraSchema.CANDLES_TABLE)
                    .setTimeout(Duration.ofSeconds(60)));
            truncated = new TradesJob("it-sink-first", topic, topic + "-dlq", first, checkpoint).submit();
            exit = DriverExit.await(truncated, Duration.ofMinutes(4), "was truncated at");
            assertThat(exit.code()).as("exit code on a truncated candle table").isEqualTo(TradesJobLaunch.EXIT_REFUSED);
            assertThat(exit.line())
                    .contains("The table " + first + "." + CassandraSchema.CANDLES_TABLE + " was truncated at")
                    .contains("it had never been truncated")
                    .contains("Start with a new --checkpoint-location and --starting-offsets earliest");
            assertThat(CassandraTables.candles(session, first))
                    .as("candles written after the truncation")
                    .isEmpty();
            CandleReplayIT.awaitApplicationGone(stack, "it-sink-first");

            session.execute(SimpleStatement.newInstance("DROP TABLE " + first + "." + CassandraSchema.CANDLES_TABLE)
                    .setTimeout(Duration.ofSeconds(60)));
            CassandraTables.createSchema(session, first);
            tableCreatedAgain = new TradesJob("it-sink-first", topic, topic + "-dlq", first, checkpoint).submit();
            exit = DriverExit.await(tableCreatedAgain, Duration.ofMinutes(4), "is not the one the checkpoint");
            assertThat(exit.code())
                    .as("exit code on a candle table created again")
                    .isEqualTo(TradesJobLaunch.EXIT_REFUSED);
            assertThat(exit.line()).contains("The table " + first + "." + CassandraSchema.CANDLES_TABLE);
            PipelineAssertions.assertTradesExactly(CassandraTables.trades(session, first), stored);
            CandleReplayIT.awaitApplicationGone(stack, "it-sink-first");

            // the operator's answer: a new checkpoint from earliest
            fresh = new TradesJob("it-sink-fresh", topic, topic + "-dlq", second, workDir.resolve("fresh")).submit();
            CandleReplayIT.awaitExact(session, second, CandleReplayIT.concat(stored, later), fresh);
        } finally {
            writing.kill();
            for (SparkDriver refused : new SparkDriver[] {otherKeyspace, truncated, tableCreatedAgain}) {
                if (refused != null) {
                    refused.kill();
                }
            }
            if (fresh != null) {
                fresh.stop(Duration.ofSeconds(90));
            }
        }
    }
}
