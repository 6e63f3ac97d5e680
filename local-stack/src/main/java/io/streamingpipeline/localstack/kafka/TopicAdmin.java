package io.streamingpipeline.localstack.kafka;

import io.streamingpipeline.localstack.process.EngineStartException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What {@link KafkaBroker} asks its broker through an Admin client: topics, their leaders, end offsets. */
final class TopicAdmin {

    private final String bootstrapServers;

    TopicAdmin(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** {@link #createTopic} for several topics (name to partitions), in one request. */
    void createTopics(Map<String, Integer> partitionsByTopic) {
        withAdmin(admin -> {
            List<NewTopic> topics = partitionsByTopic.entrySet().stream()
                    .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
                    .toList();
            var results = admin.createTopics(topics).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, partitionsByTopic);
            return null;
        });
    }

    /** Names of the topics (internal ones excluded). */
    Set<String> topics() {
        return withAdmin(admin -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
    }

    /** The log-end offset of each partition of {@code topic} (partition to offset, ordered by partition). */
    Map<Integer, Long> endOffsets(String topic) {
        return withAdmin(admin -> endOffsets(admin, topic));
    }

    static Map<Integer, Long> endOffsets(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
        Map<TopicPartition, OffsetSpec> request = description.partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
                admin.listOffsets(request).all().get(30, TimeUnit.SECONDS);
        Map<Integer, Long> result = new TreeMap<>();
        offsets.forEach((tp, info) -> result.put(tp.partition(), info.offset()));
        return result;
    }

    /** A new Admin client on this broker; the caller closes it. */
    Admin newAdmin() {
        return Admin.create(adminProperties(Duration.ofSeconds(30)));
    }

    private void awaitLeaders(Admin admin, Map<String, Integer> partitionsByTopic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Map<String, TopicDescription> descriptions;
            try {
                descriptions = admin.describeTopics(partitionsByTopic.keySet())
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // a topic just created can be missing from the broker's metadata for a moment
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                sleep(50);
                continue;
            }
            boolean ready = true;
            for (var entry : partitionsByTopic.entrySet()) {
                List<TopicPartitionInfo> partitions =
                        descriptions.get(entry.getKey()).partitions();
                // more partitions than asked for: an operator grew the topic (Kafka cannot shrink one), which the
                // pipeline reads and writes as it is
                if (partitions.size() < entry.getValue()) {
                    throw new IllegalStateException("Topic " + entry.getKey() + " already exists with "
                            + partitions.size() + " partitions, fewer than " + entry.getValue()
                            + ": grow it (kafka-topics.sh --alter --topic " + entry.getKey() + " --partitions "
                            + entry.getValue() + ") or delete it");
                }
                ready &= partitions.stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Partitions of " + partitionsByTopic.keySet() + " have no leader");
            }
            sleep(50);
        }
    }

    private interface AdminCall<T> {
        T apply(Admin admin) throws Exception;
    }

    private <T> T withAdmin(AdminCall<T> call) {
        try (Admin admin = newAdmin()) {
            return call.apply(admin);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Admin call on Kafka " + bootstrapServers + " failed: " + cause, cause);
        }
    }

    Properties adminProperties(Duration requestTimeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-stack-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(requestTimeout.toMillis(), 5000));
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return props;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("Interrupted while waiting for the Kafka broker", e);
        }
    }
}
