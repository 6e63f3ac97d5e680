package io.streamingpipeline.spark;

import io.streamingpipeline.contract.DeadLetter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start: the dead-letter topic exists and Kafka is reachable, and the topic ({@code max.message.bytes}) and the
 * job's producer ({@code max.request.size}) take the largest dead letter the job writes. Without this, the first
 * rejected record would fail its batch, and the replay would fail the same way.
 */
final class DeadLetterTopicCheck {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopicCheck.class);
    /** Bytes the topic and the producer must take: the largest dead letter and its framing. */
    static final int REQUIRED_BYTES = DeadLetter.MAX_RECORD_BYTES + DeadLetter.RECORD_OVERHEAD_BYTES;

    private static final int KAFKA_DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    private DeadLetterTopicCheck() {}

    /**
     * Throws {@link InvalidSettingsException} for a producer option the dead letters do not fit,
     * {@link StartRefusedException} for a topic that is missing or takes too small records, and
     * {@link IllegalStateException} when Kafka is out of reach; each says what to fix.
     */
    static void verify(JobSettings settings, Duration timeout) {
        String topic = settings.deadLetterTopic();
        Map<String, String> client = DeadLetterSink.clientConfig(settings.kafkaClientOptions());
        int maxRequestSize = maxRequestSize(client.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (maxRequestSize < REQUIRED_BYTES) {
            throw new InvalidSettingsException(List.of("--" + JobSettings.KAFKA_OPTIONS.name() + " "
                    + ProducerConfig.MAX_REQUEST_SIZE_CONFIG
                    + "=" + maxRequestSize + " is too small for the job's largest dead letter (" + REQUIRED_BYTES
                    + " bytes with its framing): remove the option (Kafka's default is "
                    + KAFKA_DEFAULT_MAX_REQUEST_SIZE
                    + ") or set at least " + REQUIRED_BYTES + "."));
        }
        try (Admin admin = Admin.create(adminConfig(settings, timeout))) {
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new StartRefusedException("The dead-letter topic '" + topic + "' does not exist on Kafka at "
                            + settings.bootstrapServers()
                            + ": create it (the local stack, Compose and Kubernetes create "
                            + "it at start), or name an existing topic with --" + JobSettings.DEAD_LETTER_TOPIC.name()
                            + " (conf " + JobSettings.DEAD_LETTER_TOPIC.confKey() + "; in Compose and Kubernetes the "
                            + "pipeline config's dead-letter-topic).");
                }
                throw unreachable(settings, topic, e.getCause());
            } catch (TimeoutException e) {
                throw unreachable(settings, topic, e);
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config;
            try {
                config = admin.describeConfigs(List.of(resource))
                        .all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .get(resource);
            } catch (ExecutionException | TimeoutException e) {
                // e.g. not authorised to read topic configs: the broker's own check still applies to each record
                LOG.warn(
                        "Cannot read the configuration of the dead-letter topic '{}' ({}); its max.message.bytes "
                                + "is not checked",
                        topic,
                        e.getClass().getSimpleName());
                return;
            }
            ConfigEntry limit = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (limit != null && limit.value() != null && Long.parseLong(limit.value()) < REQUIRED_BYTES) {
                throw new StartRefusedException("The dead-letter topic '" + topic + "' takes records of at most "
                        + limit.value() + " bytes (" + TopicConfig.MAX_MESSAGE_BYTES_CONFIG + "); the job's largest "
                        + "dead letter needs " + REQUIRED_BYTES + ": raise it (kafka-configs.sh --alter --entity-type "
                        + "topics --entity-name " + topic + " --add-config " + TopicConfig.MAX_MESSAGE_BYTES_CONFIG
                        + "="
                        + REQUIRED_BYTES + "), or name another topic with --" + JobSettings.DEAD_LETTER_TOPIC.name()
                        + ".");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the dead-letter topic", e);
        }
    }

    /** An admin client's settings: the job's Kafka client options, with requests bounded by {@code timeout}. */
    static Map<String, Object> adminConfig(JobSettings settings, Duration timeout) {
        Map<String, Object> config = new HashMap<>(DeadLetterSink.clientConfig(settings.kafkaClientOptions()));
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return config;
    }

    /** The start check of {@code topic} could not reach Kafka: what to check. */
    static IllegalStateException unreachable(JobSettings settings, String topic, Throwable cause) {
        return new IllegalStateException("Cannot reach Kafka at " + settings.bootstrapServers() + " to check the "
                + "topic '" + topic + "' ("
                + cause.getClass().getSimpleName() + ": "
                + cause.getMessage() + "): check --" + JobSettings.BOOTSTRAP_SERVERS.name() + " and the --"
                + JobSettings.KAFKA_OPTIONS.name() + " security settings.");
    }

    private static int maxRequestSize(String configured) {
        if (configured == null) {
            return KAFKA_DEFAULT_MAX_REQUEST_SIZE;
        }
        try {
            return Integer.parseInt(configured.strip());
        } catch (NumberFormatException e) {
            throw new InvalidSettingsException(List.of("--" + JobSettings.KAFKA_OPTIONS.name() + " "
                    + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " must be a number of bytes, was '" + configured + "'"));
        }
    }
}
