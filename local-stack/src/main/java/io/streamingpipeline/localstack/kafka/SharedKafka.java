package io.streamingpipeline.localstack.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

    private static KafkaBroker broker;
    private static RuntimeException failure;

    private SharedKafka() {
    }

    /** The shared broker, started (and waited for) on the first call. Throws the same failure on every call if it could not start. */
    public static synchronized KafkaBroker get() {
        if (failure != null) {
            throw failure;
        }
        if (broker == null) {
            try {
                broker = startShared();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return broker;
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

    private static KafkaBroker startShared() {
        String fixedDir = System.getProperty("localstack.shared.kafka.dir");
        boolean keep = fixedDir != null || Boolean.getBoolean("localstack.keep");
        Path dir;
        try {
            dir = fixedDir != null ? Files.createDirectories(Path.of(fixedDir))
                    : Files.createTempDirectory("shared-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the shared Kafka broker's directory", e);
        }
        KafkaBroker started;
        try {
            started = KafkaBroker.start(dir);
        } catch (RuntimeException e) {
            if (!keep) {
                deleteRecursively(dir);
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.stop();
            if (!keep) {
                deleteRecursively(dir);
            }
        }, "stop-shared-kafka"));
        System.err.println("[local-stack] shared Kafka broker ready at " + started.bootstrapServers() + " (pid "
                + started.pid() + ", log " + started.logFile() + ", started in "
                + started.lastStartDuration().toMillis() + " ms)");
        return started;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
