package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.INGESTOR;
import static io.streamingpipeline.deploy.k8s.Manifests.QUERY_API;
import static io.streamingpipeline.deploy.k8s.Manifests.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.streamingpipeline.deploy.code.QuarkusService;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the overlays change: dev feeds the ingestor from the simulator, prod runs three of each stateful part. */
class KubernetesOverlaysTest {

    @Test
    void devFeedsTheIngestorFromTheSimulator() throws IOException {
        Rendered r = Rendered.of("overlays/dev");
        String url = r.env(r.workload(INGESTOR).container(INGESTOR)).get("FINNHUB_URL");
        assertThat(QuarkusService.INGESTOR.envNames()).contains("FINNHUB_URL");
        Service simulator = r.get(Service.class, "feed-simulator");
        assertThat(url)
                .isEqualTo("ws://feed-simulator:"
                        + simulator.getSpec().getPorts().get(0).getPort());
        Container sim = r.workload("feed-simulator").container("feed-simulator");
        List<String> line = r.commandLine(sim);
        String token = Rendered.option(line, "--token").orElseThrow();
        assertThat(token).matches("<secret finnhub-token-[a-z0-9]{10}/token>");
        // the ingestor reads the same generated Secret
        assertThat(Pods.volume(r.workload(INGESTOR), "finnhub-token")
                        .getSecret()
                        .getSecretName())
                .isEqualTo(token.substring("<secret ".length(), token.indexOf('/')));
        // host and port are in the image's ENTRYPOINT (src/main/docker, when it is there)
        Path dockerfile = Kustomize.repoRoot().resolve("src/main/docker/Dockerfile.feed-simulator");
        if (Files.isRegularFile(dockerfile)) {
            assertThat(Files.readString(dockerfile))
                    .contains("\"--host\", \"0.0.0.0\"", "\"--port\", \"" + Pods.port(sim, "ws") + "\"");
        }
        assertThat(r.workloads())
                .allSatisfy(w -> assertThat(w.replicas()).as(w.id()).isEqualTo(1));
    }

    @Test
    void prodRunsThreeOfEachStatefulPartSpreadOverNodes() {
        Rendered r = Rendered.of("overlays/prod");
        assertThat(r.findWorkload("feed-simulator")).isEmpty();
        assertThat(r.env(r.workload(INGESTOR).container(INGESTOR))).doesNotContainKey("FINNHUB_URL");
        for (String name : List.of("kafka", "cassandra", WORKER)) {
            Workload w = r.workload(name);
            assertThat(w.replicas()).as(name).isEqualTo(3);
            var anti = w.template()
                    .getSpec()
                    .getAffinity()
                    .getPodAntiAffinity()
                    .getRequiredDuringSchedulingIgnoredDuringExecution();
            assertThat(anti).as("%s anti-affinity", name).singleElement().satisfies(term -> {
                assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                assertThat(w.labels())
                        .containsAllEntriesOf(term.getLabelSelector().getMatchLabels());
            });
        }
        assertThat(r.get(PersistentVolumeClaim.class, "spark-checkpoints")
                        .getSpec()
                        .getAccessModes())
                .containsExactly("ReadWriteOnce");
        assertThat(r.workload(QUERY_API).replicas())
                .as("the stateless query service, more than one")
                .isGreaterThan(1);
        assertThat(Quantity.getAmountInBytes(r.workload("cassandra")
                        .container("cassandra")
                        .getResources()
                        .getLimits()
                        .get("memory")))
                .isGreaterThan(Quantity.getAmountInBytes(Rendered.of("overlays/dev")
                        .workload("cassandra")
                        .container("cassandra")
                        .getResources()
                        .getLimits()
                        .get("memory")));
    }
}
