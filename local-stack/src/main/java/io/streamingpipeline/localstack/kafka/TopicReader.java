package io.streamingpipeline.localstack.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning, for tests: no consumer group (partitions are assigned, nothing is committed),
 * keys and values as UTF-8 strings. Each call opens and closes its own consumer.
 */
public final class TopicReader {

    private final String bootstrapServers;

    public TopicReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public static TopicReader of(KafkaBroker broker) {
        return new TopicReader(broker.bootstrapServers());
    }

    /**
     * Every record from the beginning up to the partitions' end offsets as they are when called (records produced
     * meanwhile may or may not be included). Throws {@link IllegalStateException} if they could not all be read
     * within {@code timeout}.
     */
    public List<TopicRecord> readAll(String topic, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = assignFromBeginning(consumer, topic, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<TopicRecord> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Read " + records.size() + " records of " + topic
                            + " but not up to its end offsets " + end + " within " + timeout);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(tp)) {
                        records.add(toRecord(r));
                    }
                }
            }
            return records;
        }
    }

    /**
     * Records from the beginning until at least {@code count} were read or {@code timeout} passed; returns what was
     * read either way (possibly fewer, or more than {@code count} if one poll brought more), in poll order.
     */
    public List<TopicRecord> readAtLeast(String topic, int count, Duration timeout) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            assignFromBeginning(consumer, topic, timeout);
            List<TopicRecord> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(toRecord(r)));
            }
            return records;
        }
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static List<TopicPartition> assignFromBeginning(
            KafkaConsumer<String, String> consumer, String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("Topic " + topic + " does not exist");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    private KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "local-stack-topic-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private static TopicRecord toRecord(ConsumerRecord<String, String> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new TopicRecord(
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                r.key(),
                r.value(),
                Collections.unmodifiableMap(headers));
    }
}
