package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.INGESTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.deploy.code.QuarkusService;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The ingestor's Deployment against the ingestor's compiled configuration: variables, token file, probes, metrics. */
class KubernetesIngestorTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void ingestorReachesKafkaAndReadsItsTokenFromTheSecret(String overlay) {
        Rendered r = Rendered.of(overlay);
        Container ingestor = r.workload(INGESTOR).container(INGESTOR);
        Map<String, String> env = r.env(ingestor);

        assertThat(env)
                .containsKey(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS)
                .doesNotContainKey(TradeContract.Env.FINNHUB_TOKEN);
        ServiceEndpoints.assertKafkaBootstrap(r, env.get(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS));

        // the token is a file of the mounted finnhub-token Secret
        String tokenFile = env.get(TradeContract.Env.FINNHUB_TOKEN_FILE);
        assertThat(tokenFile).isNotNull();
        VolumeMount mount = Pods.mountOf(ingestor, tokenFile);
        Volume volume = Pods.volume(r.workload(INGESTOR), mount.getName());
        assertThat(volume.getSecret()).as("volume holding %s", tokenFile).isNotNull();
        assertThat(Rendered.baseName(volume.getSecret().getSecretName())).isEqualTo("finnhub-token");
        assertThat(tokenFile).isEqualTo(mount.getMountPath() + "/token");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void ingestorProbesAndMetricsAgreeWithQuarkusConfig(String overlay) {
        Workload w = Rendered.of(overlay).workload(INGESTOR);
        Container c = w.container(INGESTOR);
        int httpPort = QuarkusService.INGESTOR.httpPort();

        assertThat(Pods.httpGet(c, c.getReadinessProbe())).isEqualTo(httpPort + " /q/health/ready");
        assertThat(Pods.httpGet(c, c.getLivenessProbe())).isEqualTo(httpPort + " /q/health/live");
        // the started probe stays DOWN while Kafka is down: it must not decide restarts
        assertThat(Pods.httpGet(c, c.getStartupProbe())).isEqualTo(httpPort + " /q/health/live");
        Map<String, String> annotations = w.template().getMetadata().getAnnotations();
        assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(httpPort))
                .containsEntry(
                        "prometheus.io/path",
                        QuarkusService.INGESTOR.properties().getProperty("quarkus.micrometer.export.prometheus.path"));
        assertThat(w.replicas()).as("one ingestor per Finnhub token").isEqualTo(1);
    }

    /** Each variable an overlay gives the ingestor is a test of its own: a misspelt one fails by name. */
    @TestFactory
    Stream<DynamicContainer> eachVariableIsOneTheIngestorReads() {
        return ServiceVariables.eachIsOneTheServiceReads(QuarkusService.INGESTOR, INGESTOR, "the ingestor");
    }
}
