package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The Kafka StatefulSet: one KRaft voter per pod, a headless Service, storage. */
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
}
