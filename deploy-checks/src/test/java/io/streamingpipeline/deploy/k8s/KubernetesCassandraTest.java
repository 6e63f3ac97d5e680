package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The Cassandra StatefulSet: logins, group commit, off-heap memtables, seeds among its own pods, storage. */
class KubernetesCassandraTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void cassandraHasAuthGroupCommitAndItsOwnSeeds(String overlay) throws IOException {
        Rendered r = Rendered.of(overlay);
        StatefulSet cassandra = r.get(StatefulSet.class, "cassandra");
        Container node =
                cassandra.getSpec().getTemplate().getSpec().getContainers().get(0);
        JsonNode yaml = new YAMLMapper().readTree(r.configValue("cassandra-config", "cassandra.yaml"));

        assertThat(yaml.path("authenticator").asText()).isEqualTo("PasswordAuthenticator");
        assertThat(yaml.path("authorizer").asText()).isEqualTo("CassandraAuthorizer");
        assertThat(yaml.path("commitlog_sync").asText()).isEqualTo("group");
        assertThat(yaml.path("memtable_allocation_type").asText()).isEqualTo("offheap_objects");
        assertThat(yaml.path("endpoint_snitch").asText()).isEqualTo("GossipingPropertyFileSnitch");
        String headless = cassandra.getSpec().getServiceName();
        assertThat(r.get(Service.class, headless).getSpec().getPublishNotReadyAddresses())
                .isTrue();
        for (String seed : r.env(node).get("CASSANDRA_SEEDS").split(",")) {
            Matcher m = Pattern.compile("cassandra-(\\d+)\\." + Pattern.quote(headless))
                    .matcher(seed);
            assertThat(m.matches())
                    .as("seed %s is a pod of the StatefulSet", seed)
                    .isTrue();
            assertThat(Integer.parseInt(m.group(1)))
                    .isLessThan(cassandra.getSpec().getReplicas());
        }
        assertThat(String.join(" ", node.getReadinessProbe().getExec().getCommand()))
                .contains("nodetool status");
        assertThat(cassandra.getSpec().getVolumeClaimTemplates()).isNotEmpty();
        assertThat(cassandra.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
    }
}
