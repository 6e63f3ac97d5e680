package io.streamingpipeline.localstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.localstack.process.PortInUseException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A real broker (child JVM) in a temporary directory; each test uses its own topic and leaves the broker running. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaBrokerIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path tempDir;

    private KafkaBroker broker;

    @BeforeAll
    void startBroker() {
        broker = KafkaBroker.start(tempDir.resolve("broker"));
        System.out.printf(
                "cold start (format + ready): %d ms, of which format %d ms; pid %d%n",
                broker.lastStartDuration().toMillis(),
                broker.lastFormatDuration().toMillis(),
                broker.pid());
    }

    @AfterAll
    void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void producesAndReadsBackThousandRecordsExactly() throws Exception {
        broker.createTopic("it-roundtrip", 3);
        TestRecords.produce(broker.bootstrapServers(), "it-roundtrip", "rt", 0, 1000);

        List<TopicRecord> records = TopicReader.of(broker).readAll("it-roundtrip", READ_TIMEOUT);

        assertThat(records).hasSize(1000);
        assertThat(records)
                .extracting(TopicRecord::value)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 1000)
                        .mapToObj(i -> TestRecords.value("rt", i))
                        .toList());
        for (TopicRecord r : records) {
            int i = Integer.parseInt(r.value().substring("rt-value-".length()));
            assertThat(r.key()).isEqualTo(TestRecords.key("rt", i));
            assertThat(r.topic()).isEqualTo("it-roundtrip");
        }
        // the same key always lands in the same partition, and all three partitions are used
        Map<String, Set<Integer>> partitionsByKey = records.stream()
                .collect(Collectors.groupingBy(
                        TopicRecord::key, Collectors.mapping(TopicRecord::partition, Collectors.toSet())));
        assertThat(partitionsByKey.values()).allSatisfy(p -> assertThat(p).hasSize(1));
        assertThat(records).extracting(TopicRecord::partition).containsOnly(0, 1, 2);
        // order within a partition is production order
        Map<Integer, Integer> lastIndexByPartition = new HashMap<>();
        for (TopicRecord r : records) {
            int i = Integer.parseInt(r.value().substring("rt-value-".length()));
            assertThat(i).isGreaterThan(lastIndexByPartition.getOrDefault(r.partition(), -1));
            lastIndexByPartition.put(r.partition(), i);
        }

        Map<Integer, Long> end = broker.endOffsets("it-roundtrip");
        assertThat(end).containsOnlyKeys(0, 1, 2);
        assertThat(end.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
        assertThat(TopicReader.of(broker).readAtLeast("it-roundtrip", 1000, READ_TIMEOUT))
                .hasSize(1000);
    }

    @Test
    void createTopicIsIdempotentTakesAGrownTopicAsItIsAndRefusesOneWithFewerPartitions() {
        broker.createTopic("it-idempotent", 2);
        broker.createTopic("it-idempotent", 2);
        broker.createTopic("it-idempotent", 1); // as if an operator had grown a topic of 1 partition to 2

        assertThat(broker.endOffsets("it-idempotent")).containsOnlyKeys(0, 1);
        assertThatThrownBy(() -> broker.createTopic("it-idempotent", 5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists with 2 partitions, fewer than 5")
                .hasMessageContaining("--partitions 5");
    }

    @Test
    void readingAMissingTopicFailsAndDoesNotCreateIt() {
        assertThatThrownBy(() -> TopicReader.of(broker).readAll("it-no-such-topic", Duration.ofSeconds(3)))
                .isInstanceOf(RuntimeException.class);
        assertThat(broker.topics()).doesNotContain("it-no-such-topic");
    }

    @Test
    void stopEndsTheProcessAndRestartKeepsDataAndPort() throws Exception {
        broker.createTopic("it-restart", 2);
        TestRecords.produce(broker.bootstrapServers(), "it-restart", "rs", 0, 100);
        int port = broker.port();
        int controllerPort = broker.controllerPort();
        long oldPid = broker.pid();

        long stopStarted = System.nanoTime();
        assertThat(broker.stop()).as("clean shutdown within the stop timeout").isTrue();
        long stopMillis = (System.nanoTime() - stopStarted) / 1_000_000;

        assertThat(broker.isRunning()).isFalse();
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(Files.readString(broker.logFile())).contains("shut down completed");

        broker.startAgain();
        System.out.printf(
                "clean stop %d ms, restart (ready again) %d ms%n",
                stopMillis, broker.lastStartDuration().toMillis());

        assertThat(broker.isRunning()).isTrue();
        assertThat(broker.pid()).isNotEqualTo(oldPid);
        assertThat(broker.port()).isEqualTo(port);
        assertThat(broker.controllerPort()).isEqualTo(controllerPort);
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
        assertThat(broker.lastFormatDuration()).isZero();
        assertThat(TopicReader.of(broker).readAll("it-restart", READ_TIMEOUT))
                .extracting(TopicRecord::value)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100)
                        .mapToObj(i -> TestRecords.value("rs", i))
                        .toList());

        broker.restart();
        assertThat(broker.port()).isEqualTo(port);
        assertThat(broker.endOffsets("it-restart").values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(100);
    }

    @Test
    void killThenStartAgainRecoversEveryAcknowledgedRecord() throws Exception {
        broker.createTopic("it-kill", 3);
        TestRecords.produce(broker.bootstrapServers(), "it-kill", "kl", 0, 500);
        long oldPid = broker.pid();

        broker.kill();
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(broker.isRunning()).isFalse();

        broker.startAgain();
        System.out.printf(
                "start after kill -9: %d ms%n", broker.lastStartDuration().toMillis());

        TestRecords.produce(broker.bootstrapServers(), "it-kill", "kl", 500, 510);
        assertThat(TopicReader.of(broker).readAll("it-kill", READ_TIMEOUT))
                .extracting(TopicRecord::value)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 510)
                        .mapToObj(i -> TestRecords.value("kl", i))
                        .toList());
    }

    @Test
    void startAgainWhileRunningIsRefused() {
        assertThatThrownBy(() -> broker.startAgain())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still running");
    }

    @Test
    void twoBrokersInOneJvmGetDifferentPorts() throws Exception {
        try (KafkaBroker second = KafkaBroker.start(tempDir.resolve("second"))) {
            assertThat(Set.of(second.port(), second.controllerPort()))
                    .doesNotContain(broker.port(), broker.controllerPort());
            assertThat(second.pid()).isNotEqualTo(broker.pid());

            second.createTopic("it-second", 1);
            TestRecords.produce(second.bootstrapServers(), "it-second", "sc", 0, 10);
            assertThat(TopicReader.of(second).readAll("it-second", READ_TIMEOUT))
                    .hasSize(10);
            assertThat(broker.topics()).doesNotContain("it-second");

            long pid = second.pid();
            second.stop();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
        }
    }

    @Test
    void aPortTakenByAnotherSocketGivesAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> KafkaBroker.builder(tempDir.resolve("taken"))
                            .port(port)
                            .start())
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("Port " + port)
                    .hasMessageContaining("already in use")
                    .satisfies(e -> assertThat(((PortInUseException) e).port()).isEqualTo(port));
        }
    }
}
