package io.streamingpipeline.localstack.kafka;

import io.streamingpipeline.localstack.SharedEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One Kafka broker per test JVM, shared by every test class that asks for it: started on the first {@link #get()}
 * in a new temporary directory, stopped (and the directory deleted) by a shutdown hook when the JVM exits.
 * Tests that share it should use their own topic names (or the contract's, created idempotently).
 *
 * <p>For a Quarkus test resource: {@code return Map.of("kafka.bootstrap.servers", SharedKafka.bootstrapServers());}
 *
 * <p>System properties: {@code localstack.shared.kafka.dir} puts the data in that directory instead (kept after the
 * run), {@code localstack.keep=true} keeps the temporary directory (to read {@code kafka.log} after a failure).
 */
public final class SharedKafka {

    private static final SharedEngine<KafkaBroker> SHARED = new SharedEngine<>(
            "kafka",
            KafkaBroker::start,
            KafkaBroker::stop,
            b -> b.bootstrapServers() + " (pid " + b.pid() + ", log " + b.logFile() + ", started in "
                    + b.lastStartDuration().toMillis() + " ms)");

    private SharedKafka() {}

    /** The shared broker, started (and waited for) on the first call. Throws the same failure on every call if it could not start. */
    public static KafkaBroker get() {
        return SHARED.get();
    }

    /** {@code 127.0.0.1:<port>} of the shared broker (starting it if needed). */
    public static String bootstrapServers() {
        return get().bootstrapServers();
    }

    /** Creates the topic on the shared broker if it does not exist yet; see {@link KafkaBroker#createTopic}. */
    public static void createTopic(String name, int partitions) {
        get().createTopic(name, partitions);
    }

    /** Creates these topics (name to partitions) if they do not exist yet. */
    public static void createTopics(Map<String, Integer> partitionsByTopic) {
        get().createTopics(partitionsByTopic);
    }

    /** Log-end offset of each partition of {@code topic}. */
    public static Map<Integer, Long> endOffsets(String topic) {
        return get().endOffsets(topic);
    }

    /** The number of records in {@code topic} (sum of its end offsets: right for a topic that is not compacted). */
    public static long recordCount(String topic) {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** See {@link TopicReader#readAll}. */
    public static List<TopicRecord> readAll(String topic, Duration timeout) {
        return TopicReader.of(get()).readAll(topic, timeout);
    }

    /** See {@link TopicReader#readAtLeast}. */
    public static List<TopicRecord> readAtLeast(String topic, int count, Duration timeout) {
        return TopicReader.of(get()).readAtLeast(topic, count, timeout);
    }
}
