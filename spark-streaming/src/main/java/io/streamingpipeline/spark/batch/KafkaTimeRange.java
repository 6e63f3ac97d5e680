package io.streamingpipeline.spark.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The offsets of a topic's records whose Kafka record time is in {@code [from, to)}, per partition, found with
 * {@code offsetsForTimes}; as Spark's Kafka source takes them ({@code startingOffsets} / {@code endingOffsets}).
 *
 * @param complete false when a partition's oldest records are gone (retention) and the first one left is already
 *                 inside the range: records of the range may be missing
 */
public record KafkaTimeRange(String topic, Map<Integer, Long> start, Map<Integer, Long> end, boolean complete) {

    /**
     * @param kafkaClientOptions the streaming job's {@code kafka.*} options ({@code JobSettings.kafkaClientOptions})
     */
    public static KafkaTimeRange find(Map<String, String> kafkaClientOptions, String topic, Instant from, Instant to) {
        Properties props = new Properties();
        kafkaClientOptions.forEach((k, v) -> props.put(k.startsWith("kafka.") ? k.substring("kafka.".length()) : k, v));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            Duration timeout = Duration.ofSeconds(60);
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Kafka topic " + topic + " does not exist (check --topic / "
                        + "--dead-letter-topic and --bootstrap-servers)");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, timeout);
            Map<TopicPartition, Long> latest = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, OffsetAndTimestamp> atFrom = consumer.offsetsForTimes(times(partitions, from), timeout);
            Map<TopicPartition, OffsetAndTimestamp> atTo = consumer.offsetsForTimes(times(partitions, to), timeout);
            Map<Integer, Long> start = new TreeMap<>();
            Map<Integer, Long> end = new TreeMap<>();
            boolean complete = true;
            for (TopicPartition p : partitions) {
                // no record at or after the time: the range starts (or ends) at the partition's end
                long s = atFrom.get(p) == null ? latest.get(p) : atFrom.get(p).offset();
                long e = atTo.get(p) == null ? latest.get(p) : atTo.get(p).offset();
                start.put(p.partition(), s);
                end.put(p.partition(), Math.max(s, e));
                if (beginning.get(p) > 0 && s == beginning.get(p)) {
                    complete = false;
                }
            }
            return new KafkaTimeRange(topic, start, end, complete);
        }
    }

    private static Map<TopicPartition, Long> times(List<TopicPartition> partitions, Instant time) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, time.toEpochMilli()));
        return times;
    }

    /** How many records the range holds. */
    public long records() {
        return start.keySet().stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
    }

    /** Spark's {@code startingOffsets}: {@code {"topic":{"0":12,"1":40}}}. */
    public String startingOffsetsJson() {
        return json(start);
    }

    /** Spark's {@code endingOffsets} (exclusive). */
    public String endingOffsetsJson() {
        return json(end);
    }

    private String json(Map<Integer, Long> offsets) {
        return offsets.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{\"" + topic + "\":{", "}}"));
    }
}
