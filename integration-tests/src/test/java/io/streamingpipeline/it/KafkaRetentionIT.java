package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka deletes records the job has not read yet, as a size-bounded broker does when the job is down or behind for
 * longer than its retention holds (Compose and Kubernetes bound each partition by {@code log.retention.bytes}). Here
 * {@code Admin.deleteRecords} moves every partition's start past them, which is what retention does to a reader.
 * The job stops rather than skip trades silently (its default {@code --fail-on-data-loss true}); restarted by an
 * operator with {@code --fail-on-data-loss false} it goes on from the oldest record left, with exact candles, and
 * counts every record it could not read.
 */
class KafkaRetentionIT {

    private static final String SKIPPED = "trades_job_kafka_offsets_skipped_total";
    private static final List<String> SYMBOLS = List.of("AGED:BTCUSDT", "AGED:ETHUSDT", "AGED:SOLUSDT", "AGED:XRPUSDT");

    @TempDir
    Path workDir;

    @Test
    void recordsDeletedBeforeTheJobReadThemStopItUntilAnOperatorSkipsThem() throws Exception {
        PipelineStack stack = PipelineStack.get();
        String topic = "it-retention";
        String keyspace = "it_retention";
        CandleReplayIT.prepare(stack, topic, keyspace);
        long first = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        long span = Duration.ofMinutes(4).toMillis();
        List<Trade> read = TestTrades.random(61, 1500, SYMBOLS, first, span);
        List<Trade> aged = TestTrades.random(62, 1000, SYMBOLS, first, span);
        List<Trade> left = TestTrades.random(63, 1000, SYMBOLS, first, span);
        TestTrades.produce(stack.kafka.bootstrapServers(), topic, read);
        TradesJob job = new TradesJob("it-retention", topic, topic + "-dlq", keyspace, workDir);

        SparkDriver reading = job.submit();
        SparkDriver stopped = null;
        SparkDriver skipping = null;
        try (CqlSession session = stack.cassandra.session()) {
            CandleReplayIT.awaitExact(session, keyspace, read, reading);
            assertThat(job.metric(SKIPPED))
                    .as("offsets skipped while Kafka held every record")
                    .hasValue(0.0);
            assertThat(reading.stop(Duration.ofSeconds(90))).isTrue();
            CandleReplayIT.awaitApplicationGone(stack, "it-retention");

            // while the job is down: more trades, then retention takes them before the job has read them
            TestTrades.produce(stack.kafka.bootstrapServers(), topic, aged);
            long deleted = deleteEverythingBeforeTheEnd(stack.kafka.bootstrapServers(), topic);
            assertThat(deleted).as("records deleted").isEqualTo(read.size() + aged.size());
            TestTrades.produce(stack.kafka.bootstrapServers(), topic, left);

            stopped = job.submit();
            DriverExit exit = DriverExit.await(stopped, Duration.ofMinutes(4), "Cannot fetch offset");
            assertThat(exit.code())
                    .as("exit code of the driver whose unread records are gone")
                    .isNotZero();
            assertThat(exit.line())
                    .as("the driver's log names the offset that is gone")
                    .isNotEmpty();
            assertThat(exit.log()).as("and how to go on").contains("\"failOnDataLoss\" to \"false\"");
            Set<UUID> stored = ids(CassandraTables.trades(session, keyspace).stream()
                    .map(CassandraTables.TradeRow::trade)
                    .toList());
            assertThat(stored).as("every trade read before").containsAll(ids(read));
            assertThat(stored).as("no trade Kafka no longer holds").doesNotContainAnyElementsOf(ids(aged));
            assertThat(ids(CandleReplayIT.concat(read, left)))
                    .as("nothing else")
                    .containsAll(stored);
            CandleReplayIT.awaitApplicationGone(stack, "it-retention");

            // the operator's choice: go on from the oldest record Kafka holds
            skipping = job.submitSkippingLostRecords();
            CandleReplayIT.awaitExact(session, keyspace, CandleReplayIT.concat(read, left), skipping);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(job.metric(SKIPPED))
                            .as("every record Kafka deleted, counted")
                            .hasValue((double) aged.size()));
        } finally {
            reading.kill();
            if (stopped != null) {
                stopped.kill();
            }
            if (skipping != null) {
                skipping.stop(Duration.ofSeconds(90));
            }
        }
    }

    /** Moves every partition's start to its end, as retention does to segments; returns how many records went. */
    private static long deleteEverythingBeforeTheEnd(String bootstrapServers, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<TopicPartition> partitions =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
            admin.deleteRecords(ends.entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, e -> RecordsToDelete.beforeOffset(e.getValue()))))
                    .all()
                    .get();
            Map<TopicPartition, Long> starts = offsets(admin, partitions, OffsetSpec.earliest());
            assertThat(starts).as("every partition starts at its end").isEqualTo(ends);
            return ends.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        return admin
                .listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> spec)))
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Set<UUID> ids(List<Trade> trades) {
        Set<UUID> ids = new HashSet<>();
        trades.forEach(t -> ids.add(t.id()));
        return ids;
    }
}
