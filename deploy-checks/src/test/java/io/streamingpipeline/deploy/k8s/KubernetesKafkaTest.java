package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.streamingpipeline.deploy.compose.ComposeFile;
import io.streamingpipeline.deploy.compose.ExampleEnv;
import io.streamingpipeline.deploy.compose.Repo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The Kafka StatefulSet: one KRaft voter per pod, a headless Service, storage bounded by size-based retention. */
class KubernetesKafkaTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void kafkaQuorumVotersAreTheStatefulSetPods(String overlay) {
        Rendered r = Rendered.of(overlay);
        StatefulSet kafka = r.get(StatefulSet.class, "kafka");
        int replicas = kafka.getSpec().getReplicas();
        String headless = kafka.getSpec().getServiceName();
        String voters = r.configValue("kafka-config", "controller-quorum-voters");
        Container broker =
                kafka.getSpec().getTemplate().getSpec().getContainers().get(0);
        int controllerPort = Pods.port(broker, "controller");

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            expected.add(i + "@kafka-" + i + "." + headless + ":" + controllerPort);
        }
        assertThat(List.of(voters.split(","))).containsExactlyElementsOf(expected);
        assertThat(kafka.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        Service service = r.get(Service.class, headless);
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(r.configValue("kafka-scripts", "kafka-start.sh"))
                .contains(
                        "node.id=${ordinal}",
                        "controller.quorum.voters=${KAFKA_CONTROLLER_QUORUM_VOTERS}",
                        "." + headless + ".");
        assertThat(kafka.getSpec().getVolumeClaimTemplates()).isNotEmpty();
    }

    /**
     * No backlog fills a broker's volume: a partition keeps at most log.retention.bytes plus its active segment, and
     * the partition replicas a broker holds (the topics' partitions x replication factor, spread over the brokers)
     * keep a fifth of the volume free for the retention check's minute of lag, the indexes and the metadata log.
     */
    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.ALL_DIRECTORIES)
    void theTopicsFitTheBrokersVolume(String overlay) {
        Rendered r = Rendered.of(overlay);
        StatefulSet kafka = r.get(StatefulSet.class, "kafka");
        Map<String, String> env =
                r.env(kafka.getSpec().getTemplate().getSpec().getContainers().get(0));
        assertThat(r.configValue("kafka-scripts", "kafka-start.sh"))
                .contains(
                        "log.retention.bytes=${KAFKA_LOG_RETENTION_BYTES}",
                        "log.segment.bytes=${KAFKA_LOG_SEGMENT_BYTES}",
                        "log.retention.check.interval.ms=60000");
        long retention = Long.parseLong(env.get("KAFKA_LOG_RETENTION_BYTES"));
        long segment = Long.parseLong(env.get("KAFKA_LOG_SEGMENT_BYTES"));
        assertThat(segment).as("a segment is part of what retention deletes").isLessThanOrEqualTo(retention);

        int partitions = Integer.parseInt(r.configValue("pipeline-config", "trades-partitions"))
                + Integer.parseInt(r.configValue("pipeline-config", "dead-letter-partitions"));
        int replication = Integer.parseInt(r.configValue("pipeline-config", "topic-replication-factor"));
        int brokers = kafka.getSpec().getReplicas();
        int perBroker = (partitions * replication + brokers - 1) / brokers;
        PersistentVolumeClaim data = kafka.getSpec().getVolumeClaimTemplates().stream()
                .filter(c -> c.getMetadata().getName().equals("data"))
                .findFirst()
                .orElseThrow();
        long volume = Quantity.getAmountInBytes(
                        data.getSpec().getResources().getRequests().get("storage"))
                .longValueExact();
        assertThat(perBroker * (retention + segment))
                .as(
                        "%s: %d partition replicas per broker x (retention + segment) against 4/5 of %d bytes",
                        overlay, perBroker, volume)
                .isLessThanOrEqualTo(volume / 5 * 4);
    }

    /** Compose's broker bounds its partitions as the base's does. */
    @Test
    void composeBoundsThePartitionsAsTheBase() {
        ComposeFile compose = ComposeFile.load(Repo.path("compose/compose.yaml"), ExampleEnv.filledIn());
        Map<String, String> broker = compose.environment("kafka");
        Rendered base = Rendered.of("base");
        assertThat(broker)
                .containsEntry("KAFKA_LOG_RETENTION_BYTES", base.configValue("kafka-config", "log-retention-bytes"))
                .containsEntry("KAFKA_LOG_SEGMENT_BYTES", base.configValue("kafka-config", "log-segment-bytes"))
                .containsEntry("KAFKA_LOG_RETENTION_CHECK_INTERVAL_MS", "60000");
    }
}
