package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.DRIVER;
import static io.streamingpipeline.deploy.k8s.Manifests.INGESTOR;
import static io.streamingpipeline.deploy.k8s.Manifests.OVERLAYS;
import static io.streamingpipeline.deploy.k8s.Manifests.QUERY_API;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.deploy.code.QuarkusService;
import io.streamingpipeline.deploy.code.SparkJob;
import io.streamingpipeline.deploy.compose.ComposeFile;
import io.streamingpipeline.deploy.compose.ExampleEnv;
import io.streamingpipeline.deploy.compose.Repo;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import io.streamingpipeline.query.config.PasswordFileConfigSourceFactory;
import io.streamingpipeline.spark.health.HealthServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The query service's Deployment against its compiled configuration and against what the job writes: variables,
 * Cassandra and the reader role's password file, probes, metrics, the pipeline panel's endpoints, and Compose.
 */
class KubernetesQueryApiTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void queryApiReadsWhatTheJobWritesAsTheReaderRole(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload w = r.workload(QUERY_API);
        Container c = w.container(QUERY_API);
        Map<String, String> env = r.env(c);

        assertThat(env)
                .containsEntry("QUERY_KEYSPACE", CassandraSchema.DEFAULT_KEYSPACE)
                .doesNotContainKey("QUARKUS_CASSANDRA_AUTH_PASSWORD");

        // the nodes, data centre and role of the driver's --cassandra-* options
        StatefulSet cassandra = r.get(StatefulSet.class, "cassandra");
        Map<String, String> cassandraPods = cassandra.getSpec().getSelector().getMatchLabels();
        String dc = r.cassandraDc();
        List<String> jobArgs =
                SparkSubmitLine.jobArguments(r, r.workload(DRIVER).container(DRIVER));
        List<String> hosts = new ArrayList<>();
        for (String contactPoint : env.get("QUARKUS_CASSANDRA_CONTACT_POINTS").split(",")) {
            String[] hostPort = contactPoint.strip().split(":");
            assertThat(hostPort)
                    .as("contact point %s is host:port", contactPoint)
                    .hasSize(2);
            Service s = r.get(Service.class, hostPort[0]);
            assertThat(s.getSpec().getSelector()).isEqualTo(cassandraPods);
            assertThat(s.getSpec().getPorts()).anyMatch(p -> p.getPort() == Integer.parseInt(hostPort[1]));
            hosts.add(hostPort[0]);
        }
        assertThat(String.join(",", hosts))
                .isEqualTo(Rendered.option(jobArgs, "--cassandra-host").orElseThrow());
        assertThat(env)
                .containsEntry("QUARKUS_CASSANDRA_LOCAL_DATACENTER", dc)
                .containsEntry(
                        "QUARKUS_CASSANDRA_AUTH_USERNAME",
                        r.configValue("pipeline-config", "cassandra-reader-username"))
                .containsEntry(
                        "QUERY_KEYSPACE",
                        Rendered.option(jobArgs, "--keyspace").orElse(SparkJob.optionDefault("keyspace")));

        // the password is the read-only role's, a file of the mounted cassandra-credentials Secret
        String fileVariable = QuarkusService.envName(PasswordFileConfigSourceFactory.PASSWORD_FILE);
        String passwordFile = env.get(fileVariable);
        assertThat(passwordFile).as(fileVariable).isNotNull();
        VolumeMount mount = Pods.mountOf(c, passwordFile);
        Volume volume = Pods.volume(w, mount.getName());
        assertThat(volume.getSecret()).as("volume holding %s", passwordFile).isNotNull();
        assertThat(Rendered.baseName(volume.getSecret().getSecretName())).isEqualTo("cassandra-credentials");
        assertThat(passwordFile).isEqualTo(mount.getMountPath() + "/reader-password");

        // the page offers the symbols the ingestor subscribes to
        assertThat(env.get("QUERY_SYMBOLS"))
                .isNotBlank()
                .isEqualTo(r.env(r.workload(INGESTOR).container(INGESTOR)).get("FINNHUB_SYMBOLS"));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void queryApiProbesAndMetricsAgreeWithQuarkusConfig(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload w = r.workload(QUERY_API);
        Container c = w.container(QUERY_API);
        int httpPort = QuarkusService.QUERY_API.httpPort();
        QuarkusService.QUERY_API.assertDefaultHealthPaths();

        assertThat(Pods.httpGet(c, c.getReadinessProbe())).isEqualTo(httpPort + " /q/health/ready");
        assertThat(Pods.httpGet(c, c.getLivenessProbe())).isEqualTo(httpPort + " /q/health/live");
        assertThat(Pods.httpGet(c, c.getStartupProbe())).isEqualTo(httpPort + " /q/health/started");
        // started is UP while Cassandra is down (the startup probe must not restart it for that) as long as the service
        // has no startup check of its own
        assertThat(QuarkusService.QUERY_API.hasAnnotation("org.eclipse.microprofile.health.Startup"))
                .isFalse();
        assertThat(w.template().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(httpPort))
                .containsEntry("prometheus.io/path", QuarkusService.QUERY_API.metricsPath());
        Service service = r.get(Service.class, QUERY_API);
        assertThat(service.getSpec().getSelector()).isEqualTo(w.labels());
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(
                        p -> assertThat(Pods.resolvePort(c, p.getTargetPort())).isEqualTo(httpPort));
    }

    /** The page's pipeline panel: Services of the ingestor and the driver, their health and metrics paths. */
    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void queryApiPipelineUrlsAreTheIngestorsAndTheDriversEndpoints(String overlay) {
        Rendered r = Rendered.of(overlay);
        Map<String, String> env = r.env(r.workload(QUERY_API).container(QUERY_API));
        QuarkusService.INGESTOR.assertDefaultHealthPaths();
        Container ingestor = r.workload(INGESTOR).container(INGESTOR);
        Container driver = r.workload(DRIVER).container(DRIVER);

        ServiceEndpoints.assertEndpoint(
                r,
                env.get("QUERY_PIPELINE_INGESTOR_HEALTH_URL"),
                INGESTOR,
                Pods.httpGet(ingestor, ingestor.getReadinessProbe()));
        ServiceEndpoints.assertEndpoint(
                r,
                env.get("QUERY_PIPELINE_INGESTOR_METRICS_URL"),
                INGESTOR,
                Pods.port(ingestor, "http") + " " + QuarkusService.INGESTOR.metricsPath());
        ServiceEndpoints.assertEndpoint(
                r, env.get("QUERY_PIPELINE_JOB_HEALTH_URL"), DRIVER, Pods.httpGet(driver, driver.getReadinessProbe()));
        assertThat(Pods.httpGet(driver, driver.getReadinessProbe())).endsWith(" " + HealthServer.READY);
        ServiceEndpoints.assertEndpoint(
                r,
                env.get("QUERY_PIPELINE_JOB_METRICS_URL"),
                DRIVER,
                Pods.port(driver, "health") + " " + HealthServer.METRICS);
    }

    /** The same service in Compose and Kubernetes: image, port, readiness path, settings, pipeline endpoints' paths. */
    @Test
    void queryApiIsConfiguredAlikeInComposeAndKubernetes() {
        ComposeFile compose = ComposeFile.load(Repo.path("compose/compose.yaml"), ExampleEnv.filledIn());
        Map<String, String> composeEnv = compose.environment(QUERY_API);
        for (String overlay : OVERLAYS) {
            Rendered r = Rendered.of(overlay);
            Container c = r.workload(QUERY_API).container(QUERY_API);
            Map<String, String> env = r.env(c);
            assertThat(Rendered.withoutRegistry(c.getImage()))
                    .as(overlay)
                    .isEqualTo(compose.service(QUERY_API).get("image"));
            assertThat(compose.containerPorts(QUERY_API)).as(overlay).containsExactly(Pods.port(c, "http"));
            assertThat(compose.healthcheck(QUERY_API))
                    .as(overlay)
                    .endsWith(Pods.httpGet(c, c.getReadinessProbe()).replaceFirst("^(\\d+) ", "localhost:$1"));
            // Compose also sets the port Kubernetes leaves at its default, and passes the password through its
            // entrypoint
            Set<String> composeNames = new TreeSet<>(composeEnv.keySet());
            composeNames.removeAll(Set.of("QUARKUS_HTTP_PORT", "CASSANDRA_READER_PASSWORD"));
            assertThat(env.keySet()).as(overlay).containsExactlyInAnyOrderElementsOf(composeNames);
            assertThat(env.get("QUERY_KEYSPACE")).isEqualTo(composeEnv.get("QUERY_KEYSPACE"));
            for (String variable : List.of(
                    "QUERY_PIPELINE_INGESTOR_HEALTH_URL",
                    "QUERY_PIPELINE_INGESTOR_METRICS_URL",
                    "QUERY_PIPELINE_JOB_HEALTH_URL",
                    "QUERY_PIPELINE_JOB_METRICS_URL")) {
                assertThat(URI.create(env.get(variable)).getPath())
                        .as("%s %s", overlay, variable)
                        .isEqualTo(URI.create(composeEnv.get(variable)).getPath());
            }
        }
    }

    /** Each variable an overlay gives the query service is a test of its own: a misspelt one fails by name. */
    @TestFactory
    Stream<DynamicContainer> eachVariableIsOneTheQueryApiReads() {
        return ServiceVariables.eachIsOneTheServiceReads(QuarkusService.QUERY_API, QUERY_API, "the query service");
    }
}
