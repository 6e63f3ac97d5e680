package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeContract.DeadLetterFields;
import io.streamingpipeline.localstack.pipeline.TradesJobLaunch;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a misconfigured or hostile producer could put on the trades topic, written there directly (not through
 * the ingestor), among live trades: hundreds of KB of control bytes, binary garbage near the broker's size limit,
 * keys of hundreds of KB, nesting far deeper than any parser's limit, absurd magnitudes, every field of the wrong
 * JSON type. The job on the real engines must store every valid trade exactly (candles exact), dead-letter every
 * hostile record with its reason and within the contract's size bound, count each by reason, and keep running; and a
 * dead letter that Kafka refuses for good is counted and skipped, not a halt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRecordsIT {

    private static final String TOPIC = "it-hostile";
    private static final String DLQ = "it-hostile-dlq";
    private static final String KEYSPACE = "it_hostile";
    private static final List<String> SYMBOLS = List.of("IT:HOSTILE1", "IT:HOSTILE2", "IT:HOSTILE3");
    private static final int BROKER_MAX_MESSAGE_BYTES = 1_048_588; // Kafka's default message.max.bytes

    @TempDir
    static Path workDir;

    private PipelineStack stack;
    private TradesJob job;
    private SparkDriver driver;
    private final List<Trade> valid = new ArrayList<>();
    /** The reason of each hostile record sent. */
    private final List<String> expectedReasons = new ArrayList<>();

    @BeforeAll
    void startTheJobOnHostileRecordsAndLiveTrades() throws Exception {
        stack = PipelineStack.get();
        PipelineStack.createTopics(stack.kafka, TOPIC, DLQ);
        try (CqlSession session = stack.cassandra.session()) {
            CassandraTables.createSchema(session, KEYSPACE);
        }
        long now = System.currentTimeMillis();
        List<Trade> before = TestTrades.random(
                11,
                600,
                SYMBOLS,
                now - Duration.ofMinutes(6).toMillis(),
                Duration.ofMinutes(3).toMillis());
        valid.addAll(before);
        List<byte[][]> records = new ArrayList<>();
        List<byte[][]> hostile = hostileRecords(now);
        // the valid trades before, between and after the hostile records, on every partition
        int step = before.size() / (hostile.size() + 1);
        for (int i = 0; i < before.size(); i++) {
            records.add(record(before.get(i).symbol(), TestTrades.json(before.get(i))));
            if (i % step == step - 1 && i / step < hostile.size()) {
                records.add(hostile.get(i / step));
            }
        }
        assertThat(expectedReasons).hasSize(hostile.size());
        produce(records);

        job = new TradesJob("it-hostile", TOPIC, DLQ, KEYSPACE, workDir.resolve("job"));
        driver = job.submit();
        try (CqlSession session = stack.cassandra.session()) {
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(1))
                    .failFast("driver exited: " + driver, () -> !driver.isAlive())
                    .until(() -> symbolRows(session).size() >= before.size());
        }
        // live trades behind them, once the job has gone past the hostile records
        List<Trade> live =
                TestTrades.random(12, 300, SYMBOLS, now - Duration.ofMinutes(1).toMillis(), 30_000);
        produce(live.stream().map(t -> record(t.symbol(), TestTrades.json(t))).toList());
        valid.addAll(live);
    }

    @AfterAll
    void stopTheJob() {
        if (driver != null) {
            driver.stop(Duration.ofSeconds(90));
            System.out.println("driver log " + driver.logFile());
        }
    }

    @Test
    @Order(1)
    void everyValidTradeBeforeBetweenAndAfterTheHostileRecordsIsStoredExactlyWithExactCandles() {
        try (CqlSession session = stack.cassandra.session()) {
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .failFast("driver exited: " + driver, () -> !driver.isAlive())
                    .untilAsserted(() -> PipelineAssertions.assertTradesExactly(symbolRows(session), valid));
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> PipelineAssertions.assertCandles(
                            CassandraTables.candles(session, KEYSPACE).stream()
                                    .filter(c -> SYMBOLS.contains(c.symbol()))
                                    .toList(),
                            ExpectedCandles.of(valid)));
            assertThat(CassandraTables.candles(session, KEYSPACE))
                    .allMatch(c -> Double.isFinite(c.volume()) && (c.vwap() == null || Double.isFinite(c.vwap())));
        }
    }

    @Test
    @Order(2)
    void eachHostileRecordIsDeadLetteredWithItsReasonWithinTheBoundAndCountedByReason() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> letters = readDeadLetters(expectedReasons.size(), Duration.ofMinutes(2));
        assertThat(letters).hasSize(expectedReasons.size());
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> letter : letters) {
            int keyBytes = letter.key() == null ? 0 : letter.key().length;
            assertThat(keyBytes).isLessThanOrEqualTo(DeadLetter.MAX_KEY_BYTES);
            assertThat(keyBytes + letter.value().length).isLessThanOrEqualTo(DeadLetter.MAX_RECORD_BYTES);
            JsonNode value = TestTrades.JSON.readTree(letter.value());
            assertThat(value.path(DeadLetterFields.SOURCE).asText()).isEqualTo("spark");
            reasons.add(value.path(DeadLetterFields.REASON).asText());
        }
        assertThat(reasons).containsExactlyInAnyOrderElementsOf(expectedReasons);
        assertThat(letters)
                .anySatisfy(l -> assertThat(TestTrades.JSON
                                .readTree(l.value())
                                .path(DeadLetterFields.RAW)
                                .asText())
                        .endsWith(DeadLetter.TRUNCATED_MARK));

        Map<String, Long> byReason =
                expectedReasons.stream().collect(Collectors.groupingBy(r -> r, Collectors.counting()));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> byReason.forEach(
                        (reason, n) -> assertThat(job.metric("trades_job_rejected_total{reason=\"" + reason + "\"}"))
                                .as(reason)
                                .hasValue(n.doubleValue())));
        assertThat(job.metric("trades_job_dead_letters_unwritten_total")).hasValue(0.0);
        assertThat(driver.isAlive()).isTrue();
        assertThat(job.get("/health/ready").status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aDeadLetterKafkaRefusesIsCountedAndSkippedAndTheJobGoesOn() throws Exception {
        // the topic now takes 2,000 bytes at most: the dead letter of 300 KB of control bytes no longer fits
        setDeadLetterTopicMaxMessageBytes("2000");
        try {
            long now = System.currentTimeMillis();
            List<Trade> after = TestTrades.random(13, 100, SYMBOLS, now - 20_000, 10_000);
            List<byte[][]> records = new ArrayList<>();
            records.add(new byte[][] {bytes("IT:HOSTILE1"), controlBytes(300 * 1024)});
            records.add(record("IT:HOSTILE1", "small and not JSON"));
            after.forEach(t -> records.add(record(t.symbol(), TestTrades.json(t))));
            produce(records);
            valid.addAll(after);
            try (CqlSession session = stack.cassandra.session()) {
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofSeconds(1))
                        .failFast("driver exited: " + driver, () -> !driver.isAlive())
                        .untilAsserted(() -> PipelineAssertions.assertTradesExactly(symbolRows(session), valid));
            }
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(job.metric("trades_job_dead_letters_unwritten_total"))
                            .hasValue(1.0));
            // the small one was written
            List<ConsumerRecord<byte[], byte[]>> letters =
                    readDeadLetters(expectedReasons.size() + 1, Duration.ofSeconds(60));
            assertThat(letters).hasSize(expectedReasons.size() + 1);
            assertThat(driver.isAlive()).isTrue();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> job.get("/health/ready").status() == 200);
            String log = Files.readString(driver.logFile(), StandardCharsets.ISO_8859_1);
            assertThat(log)
                    .contains("1 dead letter(s) could not be written to " + DLQ)
                    .doesNotContain("\u0001\u0002\u0003");
        } finally {
            setDeadLetterTopicMaxMessageBytes(Integer.toString(BROKER_MAX_MESSAGE_BYTES));
        }
    }

    @Test
    @Order(4)
    void aMissingDeadLetterTopicStopsTheJobAtStartNamingTheOption() throws Exception {
        TradesJob missing =
                new TradesJob("it-hostile-no-dlq", TOPIC, "it-no-such-dlq", KEYSPACE, workDir.resolve("no-dlq"));
        SparkDriver noDlq = missing.submit();
        try {
            assertThat(noDlq.awaitExit(Duration.ofMinutes(3))).isEqualTo(TradesJobLaunch.EXIT_REFUSED);
            String log = Files.readString(noDlq.logFile(), StandardCharsets.ISO_8859_1);
            assertThat(log)
                    .contains("The dead-letter topic 'it-no-such-dlq' does not exist")
                    .contains("--dead-letter-topic");
            assertThat(stack.kafka.topics()).doesNotContain("it-no-such-dlq");
        } finally {
            if (noDlq.isAlive()) {
                noDlq.kill();
            }
        }
    }

    /** The hostile records, each with its expected reason added to {@link #expectedReasons}. */
    private List<byte[][]> hostileRecords(long now) {
        Random random = new Random(19);
        List<byte[][]> records = new ArrayList<>();
        // 300 KB of control bytes: 1.8 MB once JSON-escaped, above the producer's and topic's limits before the fix
        records.add(hostile("malformed_json", bytes("IT:HOSTILE1"), controlBytes(300 * 1024)));
        // binary garbage near the broker's limit, under a binary key of 100 KB
        byte[] garbage = new byte[BROKER_MAX_MESSAGE_BYTES - 110_000];
        random.nextBytes(garbage);
        byte[] garbageKey = new byte[100_000];
        random.nextBytes(garbageKey);
        records.add(hostile("malformed_json", garbageKey, garbage));
        // nesting 200,000 deep, in a field of the contract and in an unknown one
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        records.add(hostile("malformed_json", bytes("IT:HOSTILE2"), bytes(tradeJson(now, "symbol", deep))));
        records.add(hostile(
                "malformed_json",
                bytes("IT:HOSTILE2"),
                bytes(tradeJson(now, "conditions", null).replace("{", "{\"x\":{\"y\":" + deep + "},"))));
        // absurd magnitudes
        records.add(hostile(
                "invalid_price",
                bytes("IT:HOSTILE3"),
                bytes(tradeJson(now, "price", "1e200").replace("\"volume\":1.5", "\"volume\":1e200"))));
        records.add(hostile(
                "invalid_volume",
                bytes("IT:HOSTILE3"),
                bytes(tradeJson(now, "price", "1000000").replace("\"volume\":1.5", "\"volume\":1e8"))));
        records.add(hostile("invalid_price", bytes("IT:HOSTILE3"), bytes(tradeJson(now, "price", "1e400"))));
        records.add(hostile("invalid_volume", bytes("IT:HOSTILE3"), bytes(tradeJson(now, "volume", "-1e308"))));
        // every field of a wrong JSON type
        records.add(hostile(
                "missing_symbol", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "symbol", "{\"s\":\"IT:HOSTILE1\"}"))));
        records.add(hostile("missing_symbol", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "symbol", "42"))));
        records.add(hostile("invalid_price", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "price", "\"97000.5\""))));
        records.add(hostile("invalid_price", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "price", "{\"v\":1}"))));
        records.add(hostile("invalid_volume", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "volume", "[1.5]"))));
        records.add(hostile(
                "invalid_timestamp", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "timestamp_unix", "\"" + now + "\""))));
        records.add(
                hostile("invalid_timestamp", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "timestamp_unix", "true"))));
        records.add(hostile(
                "invalid_conditions", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "conditions", "{\"c\":\"1\"}"))));
        records.add(hostile("invalid_conditions", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "conditions", "[1,2]"))));
        records.add(hostile("invalid_id", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "id", "12345"))));
        records.add(hostile(
                "invalid_id",
                bytes("IT:HOSTILE1"),
                bytes(tradeJson(now, "id", "\"" + UUID.randomUUID() + "\"")))); // a UUIDv4
        records.add(hostile("malformed_json", bytes("IT:HOSTILE1"), bytes(tradeJson(now, "ingested_at", "\"now\""))));
        // no value at all, and a symbol of control characters under a key of control characters
        records.add(hostile("malformed_json", bytes("IT:HOSTILE1"), null));
        records.add(
                hostile("missing_symbol", controlBytes(50_000), bytes(tradeJson(now, "symbol", "\"\\u0000\\u0001\""))));
        return records;
    }

    private byte[][] hostile(String reason, byte[] key, byte[] value) {
        expectedReasons.add(reason);
        return new byte[][] {key, value};
    }

    /** A valid trade's JSON (a fresh UUIDv7, volume 1.5) with one field's JSON text replaced. */
    private static String tradeJson(long now, String field, String json) {
        Trade t = TestTrades.random(now, 1, List.of("IT:HOSTILE1"), now - 60_000, 1)
                .get(0);
        String base = "{\"id\":\"" + t.id() + "\",\"symbol\":\"IT:HOSTILE1\",\"price\":100.25,\"volume\":1.5,"
                + "\"timestamp_unix\":" + t.timestampUnix() + ",\"conditions\":null,\"ingested_at\":" + t.ingestedAt()
                + "}";
        if (json == null) {
            return base;
        }
        String pattern = "\"" + field + "\":(\"[^\"]*\"|[^,}]*)";
        return base.replaceFirst(pattern, java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + json));
    }

    private static byte[] controlBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 32);
        }
        return b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] record(String key, String value) {
        return new byte[][] {bytes(key), bytes(value)};
    }

    private List<CassandraTables.TradeRow> symbolRows(CqlSession session) {
        return CassandraTables.trades(session, KEYSPACE).stream()
                .filter(r -> SYMBOLS.contains(r.symbol()))
                .toList();
    }

    /** In this order, acknowledged; a producer that takes records up to the broker's limit. */
    private void produce(List<byte[][]> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(2 * BROKER_MAX_MESSAGE_BYTES));
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (byte[][] kv : records) {
                acks.add(producer.send(new ProducerRecord<>(TOPIC, kv[0], kv[1])));
            }
            TestTrades.awaitAll(acks);
        }
    }

    private List<ConsumerRecord<byte[], byte[]>> readDeadLetters(int count, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers());
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(2 * BROKER_MAX_MESSAGE_BYTES));
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(DLQ, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            // anything more that is already there
            consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
            return records;
        }
    }

    private void setDeadLetterTopicMaxMessageBytes(String bytes) throws Exception {
        try (Admin admin = stack.kafka.newAdmin()) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, DLQ);
            Collection<AlterConfigOp> ops = List.of(new AlterConfigOp(
                    new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, bytes), AlterConfigOp.OpType.SET));
            admin.incrementalAlterConfigs(Map.of(topic, ops)).all().get();
        }
    }
}
