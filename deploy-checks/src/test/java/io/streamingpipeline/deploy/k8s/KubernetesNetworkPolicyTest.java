package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.DRIVER;
import static io.streamingpipeline.deploy.k8s.Manifests.INGESTOR;
import static io.streamingpipeline.deploy.k8s.Manifests.QUERY_API;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.streamingpipeline.deploy.code.QuarkusService;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** NetworkPolicies: deny by default, select real pods and ports, and let in only what each component needs. */
class KubernetesNetworkPolicyTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.ALL_DIRECTORIES)
    void networkPoliciesDenyByDefaultAndSelectExistingPodsAndPorts(String dir) {
        Rendered r = Rendered.of(dir);
        assertThat(r.networkPolicies()
                        .filter(p -> p.getSpec().getPodSelector().getMatchLabels() == null
                                || p.getSpec().getPodSelector().getMatchLabels().isEmpty()))
                .as("a default-deny policy")
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.getSpec().getPolicyTypes()).contains("Ingress");
                    assertThat(p.getSpec().getIngress()).isNullOrEmpty();
                });
        r.networkPolicies()
                .filter(p -> p.getSpec().getPodSelector().getMatchLabels() != null
                        && !p.getSpec().getPodSelector().getMatchLabels().isEmpty())
                .forEach(p -> {
                    String name = p.getMetadata().getName();
                    List<Workload> targets =
                            r.selected(p.getSpec().getPodSelector().getMatchLabels());
                    assertThat(targets)
                            .as("pods selected by NetworkPolicy %s", name)
                            .isNotEmpty();
                    for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                        for (NetworkPolicyPeer peer : rule.getFrom()) {
                            if (peer.getPodSelector() != null && peer.getNamespaceSelector() == null) {
                                assertThat(r.selected(peer.getPodSelector().getMatchLabels()))
                                        .as(
                                                "NetworkPolicy %s: peer %s",
                                                name, peer.getPodSelector().getMatchLabels())
                                        .isNotEmpty();
                            }
                        }
                        for (NetworkPolicyPort port : rule.getPorts()) {
                            for (Workload t : targets) {
                                assertThat(t.template().getSpec().getContainers().stream()
                                                .anyMatch(c -> Pods.resolvePort(c, port.getPort()) > 0))
                                        .as("NetworkPolicy %s port %s is a port of %s", name, port.getPort(), t.id())
                                        .isTrue();
                            }
                        }
                    }
                });
        // every pod that serves something is opened by a policy (else the default deny makes it unreachable)
        for (Workload w : r.workloads()) {
            boolean serves = w.template().getSpec().getContainers().stream()
                    .anyMatch(c -> c.getPorts() != null && !c.getPorts().isEmpty());
            if (serves) {
                assertThat(r.networkPolicies()
                                .anyMatch(p -> p.getSpec().getPodSelector().getMatchLabels() != null
                                        && !p.getSpec()
                                                .getPodSelector()
                                                .getMatchLabels()
                                                .isEmpty()
                                        && w.labels()
                                                .entrySet()
                                                .containsAll(p.getSpec()
                                                        .getPodSelector()
                                                        .getMatchLabels()
                                                        .entrySet())))
                        .as("%s has a NetworkPolicy", w.id())
                        .isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void eachComponentIsReachableOnlyFromWhatNeedsIt(String overlay) {
        Rendered r = Rendered.of(overlay);
        assertThat(NetworkPolicies.allowedFrom(r, "kafka"))
                .containsExactlyInAnyOrder("ingestor", "spark-driver", "spark-worker", "kafka-topics", "kafka");
        assertThat(NetworkPolicies.allowedFrom(r, "cassandra"))
                .containsExactlyInAnyOrder("spark-driver", "spark-worker", "cassandra-schema", "cassandra", QUERY_API);
        assertThat(NetworkPolicies.allowedFrom(r, "spark-master"))
                .containsExactlyInAnyOrder("spark-worker", "spark-driver");
        assertThat(NetworkPolicies.allowedFrom(r, "spark-driver"))
                .containsExactlyInAnyOrder("spark-worker", "spark-master", "namespace monitoring", QUERY_API);
        assertThat(NetworkPolicies.allowedFrom(r, "ingestor"))
                .containsExactlyInAnyOrder("namespace monitoring", QUERY_API);
        assertThat(NetworkPolicies.allowedFrom(r, QUERY_API)).containsExactly("any source");
        if (overlay.endsWith("dev")) {
            assertThat(NetworkPolicies.allowedFrom(r, "feed-simulator")).containsExactly("ingestor");
        }
    }

    /** NetworkPolicies let the query service reach what it calls: Cassandra's CQL, the ingestor's and driver's HTTP. */
    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void queryApiMayReachCassandraTheIngestorAndTheDriver(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload queryApi = r.workload(QUERY_API);
        Map<String, String> env = r.env(queryApi.container(QUERY_API));

        Workload cassandra = r.workload("cassandra");
        for (String contactPoint : env.get("QUARKUS_CASSANDRA_CONTACT_POINTS").split(",")) {
            String[] hostPort = contactPoint.strip().split(":");
            int target = ServiceEndpoints.servicePortTarget(r, hostPort[0], Integer.parseInt(hostPort[1]), cassandra);
            assertThat(NetworkPolicies.allows(r, queryApi, cassandra, target))
                    .as("%s: query-api -> cassandra:%s", overlay, target)
                    .isTrue();
        }
        for (Map.Entry<String, String> url : Map.of(
                        "QUERY_PIPELINE_INGESTOR_HEALTH_URL",
                        INGESTOR,
                        "QUERY_PIPELINE_INGESTOR_METRICS_URL",
                        INGESTOR,
                        "QUERY_PIPELINE_JOB_HEALTH_URL",
                        DRIVER,
                        "QUERY_PIPELINE_JOB_METRICS_URL",
                        DRIVER)
                .entrySet()) {
            URI uri = URI.create(env.get(url.getKey()));
            Workload target = r.workload(url.getValue());
            int port = ServiceEndpoints.servicePortTarget(r, uri.getHost(), uri.getPort(), target);
            assertThat(NetworkPolicies.allows(r, queryApi, target, port))
                    .as("%s: query-api -> %s:%s (%s)", overlay, target.name(), port, url.getKey())
                    .isTrue();
        }
        // the only workload that accepts anybody is the query service, on its HTTP port only
        for (Workload w : r.workloads()) {
            boolean open = r.networkPolicies()
                    .filter(p -> NetworkPolicies.selects(p, w))
                    .flatMap(p -> Stream.ofNullable(p.getSpec().getIngress()).flatMap(List::stream))
                    .anyMatch(rule -> rule.getFrom().isEmpty());
            assertThat(open)
                    .as("%s accepts connections from anywhere", w.id())
                    .isEqualTo(w.name().equals(QUERY_API));
        }
        assertThat(r.networkPolicies()
                        .filter(p -> NetworkPolicies.selects(p, queryApi))
                        .flatMap(
                                p -> Stream.ofNullable(p.getSpec().getIngress()).flatMap(List::stream))
                        .flatMap(rule -> rule.getPorts().stream())
                        .map(p -> Pods.resolvePort(queryApi.container(QUERY_API), p.getPort())))
                .containsOnly(QuarkusService.QUERY_API.httpPort());
    }
}
