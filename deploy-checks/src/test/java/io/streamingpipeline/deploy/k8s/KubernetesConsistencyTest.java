package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.Replication;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.deploy.compose.CodeFacts;
import io.streamingpipeline.deploy.compose.ComposeFile;
import io.streamingpipeline.deploy.compose.Repo;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The manifests agree with the code: env names the ingestor reads, the job's options, topics and partitions, keyspace
 * and replication, the one CQL file, ports and probe paths; and with good practice: resources, non-root, probes,
 * Services and NetworkPolicies that select real pods.
 */
class KubernetesConsistencyTest {

    static final List<String> OVERLAYS = List.of("overlays/dev", "overlays/prod");
    static final List<String> ALL = Kustomize.DIRECTORIES;

    private static final String INGESTOR = "ingestor";
    private static final String DRIVER = "spark-driver";
    private static final String WORKER = "spark-worker";
    private static final String SCHEMA_JOB = "cassandra-schema";
    private static final String TOPICS_JOB = "kafka-topics";
    private static final String QUERY_API = "query-api";

    // ---------------------------------------------------------------- ingestor

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void ingestorEnvNamesAreOnesTheIngestorReads(String overlay) {
        Rendered r = Rendered.of(overlay);
        Container ingestor = r.workload(INGESTOR).container(INGESTOR);
        Map<String, String> env = r.env(ingestor);
        Set<String> readable = SourceFacts.ingestorEnvNames();

        assertThat(readable)
                .as("TradeContract.Env names are read by the ingestor")
                .contains(
                        TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, TradeContract.Env.TRADES_TOPIC,
                        TradeContract.Env.DEAD_LETTER_TOPIC, TradeContract.Env.FINNHUB_TOKEN_FILE);
        assertThat(env.keySet())
                .as("env of the ingestor container in %s", overlay)
                .isSubsetOf(readable);
        assertThat(env)
                .containsEntry(TradeContract.Env.TRADES_TOPIC, TradeContract.TRADES_TOPIC)
                .containsEntry(TradeContract.Env.DEAD_LETTER_TOPIC, TradeContract.DEAD_LETTER_TOPIC)
                .containsKey(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS)
                .doesNotContainKey(TradeContract.Env.FINNHUB_TOKEN);
        assertKafkaBootstrap(r, env.get(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS));

        // the token is a file of the mounted finnhub-token Secret
        String tokenFile = env.get(TradeContract.Env.FINNHUB_TOKEN_FILE);
        assertThat(tokenFile).isNotNull();
        VolumeMount mount = mountOf(ingestor, tokenFile);
        Volume volume = volume(r.workload(INGESTOR), mount.getName());
        assertThat(volume.getSecret()).as("volume holding %s", tokenFile).isNotNull();
        assertThat(baseName(volume.getSecret().getSecretName())).isEqualTo("finnhub-token");
        assertThat(tokenFile).isEqualTo(mount.getMountPath() + "/token");
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void ingestorProbesAndMetricsAgreeWithQuarkusConfig(String overlay) {
        Workload w = Rendered.of(overlay).workload(INGESTOR);
        Container c = w.container(INGESTOR);
        int httpPort = Integer.parseInt(SourceFacts.ingestorProperties().getProperty("quarkus.http.port"));

        assertThat(httpGet(c, c.getReadinessProbe())).isEqualTo(httpPort + " /q/health/ready");
        assertThat(httpGet(c, c.getLivenessProbe())).isEqualTo(httpPort + " /q/health/live");
        // the started probe stays DOWN while Kafka is down: it must not decide restarts
        assertThat(httpGet(c, c.getStartupProbe())).isEqualTo(httpPort + " /q/health/live");
        Map<String, String> annotations = w.template().getMetadata().getAnnotations();
        assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(httpPort))
                .containsEntry(
                        "prometheus.io/path",
                        SourceFacts.ingestorProperties().getProperty("quarkus.micrometer.export.prometheus.path"));
        assertThat(w.replicas()).as("one ingestor per Finnhub token").isEqualTo(1);
    }

    // ---------------------------------------------------------------- query service

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void queryApiEnvNamesAreOnesTheQueryApiReadsAndItReadsWhatTheJobWrites(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload w = r.workload(QUERY_API);
        Container c = w.container(QUERY_API);
        Map<String, String> env = r.env(c);

        assertThat(env.keySet())
                .as("env of the query-api container in %s", overlay)
                .isSubsetOf(SourceFacts.queryApiEnvNames());
        assertThat(env)
                .containsEntry("QUERY_KEYSPACE", CassandraSchema.DEFAULT_KEYSPACE)
                .doesNotContainKey("QUARKUS_CASSANDRA_AUTH_PASSWORD");

        // the nodes, data centre and role of the driver's --cassandra-* options
        StatefulSet cassandra = r.get(StatefulSet.class, "cassandra");
        Map<String, String> cassandraPods = cassandra.getSpec().getSelector().getMatchLabels();
        String dc = r.env(cassandra
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0))
                .get("CASSANDRA_DC");
        List<String> jobArgs = jobArguments(r, r.workload(DRIVER).container(DRIVER));
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
                        Rendered.option(jobArgs, "--keyspace").orElse(SourceFacts.jobOptionDefault("keyspace")));

        // the password is the read-only role's, a file of the mounted cassandra-credentials Secret
        String fileVariable = CodeFacts.envName(CodeFacts.queryApiPasswordFileKey());
        String passwordFile = env.get(fileVariable);
        assertThat(passwordFile).as(fileVariable).isNotNull();
        VolumeMount mount = mountOf(c, passwordFile);
        Volume volume = volume(w, mount.getName());
        assertThat(volume.getSecret()).as("volume holding %s", passwordFile).isNotNull();
        assertThat(baseName(volume.getSecret().getSecretName())).isEqualTo("cassandra-credentials");
        assertThat(passwordFile).isEqualTo(mount.getMountPath() + "/reader-password");

        // the page offers the symbols the ingestor subscribes to
        assertThat(env.get("QUERY_SYMBOLS"))
                .isNotBlank()
                .isEqualTo(r.env(r.workload(INGESTOR).container(INGESTOR)).get("FINNHUB_SYMBOLS"));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void queryApiProbesAndMetricsAgreeWithQuarkusConfig(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload w = r.workload(QUERY_API);
        Container c = w.container(QUERY_API);
        int httpPort = CodeFacts.queryApiHttpPort();
        CodeFacts.assertDefaultHealthPaths(QUERY_API);

        assertThat(httpGet(c, c.getReadinessProbe())).isEqualTo(httpPort + " /q/health/ready");
        assertThat(httpGet(c, c.getLivenessProbe())).isEqualTo(httpPort + " /q/health/live");
        assertThat(httpGet(c, c.getStartupProbe())).isEqualTo(httpPort + " /q/health/started");
        // started is UP while Cassandra is down (the startup probe must not restart it for that) as long as the service
        // has no startup check of its own
        assertThat(SourceFacts.queryApiSources()).doesNotContain("org.eclipse.microprofile.health.Startup");
        assertThat(w.template().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(httpPort))
                .containsEntry("prometheus.io/path", CodeFacts.metricsPath(QUERY_API));
        Service service = r.get(Service.class, QUERY_API);
        assertThat(service.getSpec().getSelector()).isEqualTo(w.labels());
        assertThat(service.getSpec().getPorts())
                .singleElement()
                .satisfies(p -> assertThat(resolvePort(c, p.getTargetPort())).isEqualTo(httpPort));
    }

    /** The page's pipeline panel: Services of the ingestor and the driver, their health and metrics paths. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void queryApiPipelineUrlsAreTheIngestorsAndTheDriversEndpoints(String overlay) {
        Rendered r = Rendered.of(overlay);
        Map<String, String> env = r.env(r.workload(QUERY_API).container(QUERY_API));
        CodeFacts.assertDefaultHealthPaths(INGESTOR);
        Container ingestor = r.workload(INGESTOR).container(INGESTOR);
        Container driver = r.workload(DRIVER).container(DRIVER);

        assertEndpoint(
                r,
                env.get("QUERY_PIPELINE_INGESTOR_HEALTH_URL"),
                INGESTOR,
                httpGet(ingestor, ingestor.getReadinessProbe()));
        assertEndpoint(
                r,
                env.get("QUERY_PIPELINE_INGESTOR_METRICS_URL"),
                INGESTOR,
                port(ingestor, "http") + " " + CodeFacts.metricsPath(INGESTOR));
        assertEndpoint(
                r, env.get("QUERY_PIPELINE_JOB_HEALTH_URL"), DRIVER, httpGet(driver, driver.getReadinessProbe()));
        assertThat(httpGet(driver, driver.getReadinessProbe())).endsWith(" " + SourceFacts.healthPath("READY"));
        assertEndpoint(
                r,
                env.get("QUERY_PIPELINE_JOB_METRICS_URL"),
                DRIVER,
                port(driver, "health") + " " + SourceFacts.healthPath("METRICS"));
    }

    /** NetworkPolicies let the query service reach what it calls: Cassandra's CQL, the ingestor's and driver's HTTP. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void queryApiMayReachCassandraTheIngestorAndTheDriver(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload queryApi = r.workload(QUERY_API);
        Map<String, String> env = r.env(queryApi.container(QUERY_API));

        Workload cassandra = r.workload("cassandra");
        for (String contactPoint : env.get("QUARKUS_CASSANDRA_CONTACT_POINTS").split(",")) {
            String[] hostPort = contactPoint.strip().split(":");
            int target = servicePortTarget(r, hostPort[0], Integer.parseInt(hostPort[1]), cassandra);
            assertThat(allows(r, queryApi, cassandra, target))
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
            int port = servicePortTarget(r, uri.getHost(), uri.getPort(), target);
            assertThat(allows(r, queryApi, target, port))
                    .as("%s: query-api -> %s:%s (%s)", overlay, target.name(), port, url.getKey())
                    .isTrue();
        }
        // the only workload that accepts anybody is the query service, on its HTTP port only
        for (Workload w : r.workloads()) {
            boolean open = r.networkPolicies()
                    .filter(p -> selects(p, w))
                    .flatMap(p -> Stream.ofNullable(p.getSpec().getIngress()).flatMap(List::stream))
                    .anyMatch(rule -> rule.getFrom().isEmpty());
            assertThat(open)
                    .as("%s accepts connections from anywhere", w.id())
                    .isEqualTo(w.name().equals(QUERY_API));
        }
        assertThat(r.networkPolicies()
                        .filter(p -> selects(p, queryApi))
                        .flatMap(
                                p -> Stream.ofNullable(p.getSpec().getIngress()).flatMap(List::stream))
                        .flatMap(rule -> rule.getPorts().stream())
                        .map(p -> resolvePort(queryApi.container(QUERY_API), p.getPort())))
                .containsOnly(CodeFacts.queryApiHttpPort());
    }

    /** The same service in Compose and Kubernetes: image, port, readiness path, settings, pipeline endpoints' paths. */
    @Test
    void queryApiIsConfiguredAlikeInComposeAndKubernetes() {
        ComposeFile compose = ComposeFile.load(
                Repo.path("compose/compose.yaml"), io.streamingpipeline.deploy.compose.ExampleEnv.filledIn());
        Map<String, String> composeEnv = compose.environment(QUERY_API);
        for (String overlay : OVERLAYS) {
            Rendered r = Rendered.of(overlay);
            Container c = r.workload(QUERY_API).container(QUERY_API);
            Map<String, String> env = r.env(c);
            assertThat(withoutRegistry(c.getImage()))
                    .as(overlay)
                    .isEqualTo(compose.service(QUERY_API).get("image"));
            assertThat(compose.containerPorts(QUERY_API)).as(overlay).containsExactly(port(c, "http"));
            assertThat(compose.healthcheck(QUERY_API))
                    .as(overlay)
                    .endsWith(httpGet(c, c.getReadinessProbe()).replaceFirst("^(\\d+) ", "localhost:$1"));
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

    // ---------------------------------------------------------------- Spark job

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void driverRunsTheJobWithOptionsItKnows(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload driver = r.workload(DRIVER);
        Container c = driver.container(DRIVER);
        List<String> jobArgs = jobArguments(r, c);

        assertOptionsKnown(jobArgs, "driver");
        assertThat(Rendered.option(jobArgs, "--bootstrap-servers")).isPresent();
        assertKafkaBootstrap(r, Rendered.option(jobArgs, "--bootstrap-servers").orElseThrow());
        assertThat(Rendered.option(jobArgs, "--topic").orElse(SourceFacts.jobOptionDefault("topic")))
                .isEqualTo(TradeContract.TRADES_TOPIC);
        assertThat(Rendered.option(jobArgs, "--dead-letter-topic")
                        .orElse(SourceFacts.jobOptionDefault("dead-letter-topic")))
                .isEqualTo(TradeContract.DEAD_LETTER_TOPIC);
        assertThat(Rendered.option(jobArgs, "--keyspace").orElse(SourceFacts.jobOptionDefault("keyspace")))
                .isEqualTo(CassandraSchema.DEFAULT_KEYSPACE);
        assertCassandraConnection(r, jobArgs, driver, c);

        // health: the port the job listens on (option or JobSettings' default) is the port the probes use
        int healthPort = Integer.parseInt(
                Rendered.option(jobArgs, "--health-port").orElse(SourceFacts.jobOptionDefault("health-port")));
        assertThat(healthPort)
                .as("the driver's health port is JobSettings' default")
                .isEqualTo(Integer.parseInt(SourceFacts.jobOptionDefault("health-port")));
        assertThat(httpGet(c, c.getReadinessProbe())).isEqualTo(healthPort + " " + SourceFacts.healthPath("READY"));
        assertThat(httpGet(c, c.getLivenessProbe())).isEqualTo(healthPort + " " + SourceFacts.healthPath("LIVE"));
        assertThat(httpGet(c, c.getStartupProbe())).isEqualTo(healthPort + " " + SourceFacts.healthPath("LIVE"));
        assertThat(driver.template().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", Integer.toString(healthPort))
                .containsEntry("prometheus.io/path", SourceFacts.healthPath("METRICS"));

        // graceful stop fits in the termination grace period
        long graceful = seconds(Rendered.option(jobArgs, "--graceful-stop-timeout")
                .orElse(SourceFacts.jobOptionDefault("graceful-stop-timeout")));
        assertThat(driver.template().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(graceful);

        // executors reach the driver at its pod IP
        assertThat(r.env(c)).containsEntry("POD_IP", "<status.podIP>");
        assertThat(r.commandLine(c)).contains("spark.driver.host=<status.podIP>");
        Service headless = r.get(Service.class, DRIVER);
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();

        // the checkpoint directory on a claim of the driver's; the job keeps no state in executors, so the workers
        // mount none (and the claim can be ReadWriteOnce)
        String checkpoint = Rendered.option(jobArgs, "--checkpoint-location").orElseThrow();
        VolumeMount driverMount = mountOf(c, checkpoint);
        String claim =
                volume(driver, driverMount.getName()).getPersistentVolumeClaim().getClaimName();
        assertThat(r.find(PersistentVolumeClaim.class, claim))
                .as("claim %s", claim)
                .isPresent();
        assertThat(r.workload(WORKER).template().getSpec().getVolumes())
                .noneMatch(v -> v.getPersistentVolumeClaim() != null);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void schemaJobAppliesTheContractCqlThroughTheJobImage(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload job = r.workload(SCHEMA_JOB);
        Container apply = job.container("apply-schema");
        List<String> jobArgs = jobArguments(r, apply);

        assertThat(apply.getImage())
                .as("the job jar of the driver")
                .isEqualTo(r.workload(DRIVER).container(DRIVER).getImage());
        // roles first, then the schema (init containers run in order), then the grants
        assertThat(job.template().getSpec().getInitContainers())
                .extracting(Container::getName)
                .containsExactly("roles", "apply-schema");
        assertThat(job.template().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("grants");
        assertThat(jobArgs).contains("--apply-schema");
        assertOptionsKnown(jobArgs, "schema job");
        assertThat(Rendered.option(jobArgs, "--keyspace").orElse(SourceFacts.jobOptionDefault("keyspace")))
                .isEqualTo(CassandraSchema.DEFAULT_KEYSPACE);
        assertCassandraConnection(r, jobArgs, job, apply);

        // replication sized to the Cassandra StatefulSet
        Replication replication = Replication.parse(
                Rendered.option(jobArgs, "--replication").orElse(SourceFacts.jobOptionDefault("replication")));
        StatefulSet cassandra = r.get(StatefulSet.class, "cassandra");
        int nodes = cassandra.getSpec().getReplicas();
        String dc = r.env(cassandra
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0))
                .get("CASSANDRA_DC");
        if (overlay.endsWith("dev")) {
            assertThat(replication).isEqualTo(Replication.simple(1));
        } else {
            assertThat(replication).isEqualTo(Replication.networkTopology(Map.of(dc, 3)));
            assertThat(nodes).isEqualTo(3);
        }
        assertThat(replication.factors().values())
                .allSatisfy(rf -> assertThat(rf).isLessThanOrEqualTo(nodes));
        // system_auth is replicated the same way (the init container's CQL map)
        Container roles = job.container("roles");
        assertThat(r.env(roles)).containsEntry("SYSTEM_AUTH_REPLICATION", replication.cql());

        // the CQL lives once, in the contract: no copy of it in any ConfigMap
        assertThat(r.all(ConfigMap.class))
                .allSatisfy(cm -> assertThat(String.valueOf(cm.getData()))
                        .as("ConfigMap %s", cm.getMetadata().getName())
                        .doesNotContain("CREATE TABLE")
                        .doesNotContain("CREATE KEYSPACE"));
        assertThat(CassandraSchema.template()).contains("${replication}");
    }

    // ---------------------------------------------------------------- Kafka

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void topicsAndPartitionsFollowTheContract(String overlay) {
        Rendered r = Rendered.of(overlay);
        Container topics = r.workload(TOPICS_JOB).container("create-topics");
        Map<String, String> env = r.env(topics);
        int brokers = r.get(StatefulSet.class, "kafka").getSpec().getReplicas();

        assertThat(env)
                .containsEntry("TRADES_TOPIC", TradeContract.TRADES_TOPIC)
                .containsEntry("TRADES_DLQ_TOPIC", TradeContract.DEAD_LETTER_TOPIC)
                .containsEntry("DLQ_PARTITIONS", "1");
        assertKafkaBootstrap(r, env.get("KAFKA_BOOTSTRAP_SERVERS"));
        String script = r.configValue("kafka-scripts", "kafka-create-topics.sh");
        assertThat(script)
                .contains(
                        "--if-not-exists",
                        "${TRADES_TOPIC}",
                        "${TRADES_DLQ_TOPIC}",
                        "${TRADES_PARTITIONS}",
                        "${DLQ_PARTITIONS}");
        int rf = Integer.parseInt(env.get("TOPIC_REPLICATION_FACTOR"));
        int minIsr = Integer.parseInt(env.get("TOPIC_MIN_INSYNC_REPLICAS"));
        assertThat(rf).isBetween(1, brokers);
        assertThat(minIsr).isBetween(1, rf);

        int partitions = Integer.parseInt(env.get("TRADES_PARTITIONS"));
        int coresMax = Integer.parseInt(r.configValue("pipeline-config", "spark-cores-max"));
        int executorCores = Integer.parseInt(r.configValue("pipeline-config", "spark-executor-cores"));
        int workerCores = Integer.parseInt(r.configValue("pipeline-config", "spark-worker-cores"));
        int workers = r.workload(WORKER).replicas();
        if (overlay.endsWith("dev")) {
            assertThat(partitions).as("the local stack's partitions").isEqualTo(3);
        } else {
            assertThat(brokers).isEqualTo(3);
            assertThat(rf).isEqualTo(3);
            assertThat(minIsr).as("a write survives one broker down").isEqualTo(2);
            assertThat(partitions).as("one Kafka partition per executor core").isEqualTo(coresMax);
            assertThat(coresMax).as("spark.cores.max = what the workers offer").isEqualTo(workers * workerCores);
        }
        // executors must fit in a worker, or they are never launched
        assertThat(workerCores % executorCores).isZero();
        assertThat(coresMax % executorCores).isZero();
        assertThat(bytes(r.configValue("pipeline-config", "spark-executor-memory")))
                .isLessThanOrEqualTo(bytes(r.configValue("pipeline-config", "spark-worker-memory")));
        // and the worker container holds what the worker offers (+ its daemon)
        Container worker = r.workload(WORKER).container(WORKER);
        assertThat(Quantity.getAmountInBytes(worker.getResources().getLimits().get("cpu"))
                        .doubleValue())
                .isGreaterThanOrEqualTo(workerCores);
        assertThat(Quantity.getAmountInBytes(worker.getResources().getLimits().get("memory"))
                        .longValue())
                .isGreaterThan(bytes(r.configValue("pipeline-config", "spark-worker-memory"))
                        + bytes(r.env(worker).get("SPARK_DAEMON_MEMORY")));
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void kafkaQuorumVotersAreTheStatefulSetPods(String overlay) {
        Rendered r = Rendered.of(overlay);
        StatefulSet kafka = r.get(StatefulSet.class, "kafka");
        int replicas = kafka.getSpec().getReplicas();
        String headless = kafka.getSpec().getServiceName();
        String voters = r.configValue("kafka-config", "controller-quorum-voters");
        Container broker =
                kafka.getSpec().getTemplate().getSpec().getContainers().get(0);
        int controllerPort = port(broker, "controller");

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

    // ---------------------------------------------------------------- Cassandra

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void cassandraHasAuthGroupCommitAndItsOwnSeeds(String overlay) throws IOException {
        Rendered r = Rendered.of(overlay);
        StatefulSet cassandra = r.get(StatefulSet.class, "cassandra");
        Container node =
                cassandra.getSpec().getTemplate().getSpec().getContainers().get(0);
        JsonNode yaml = new YAMLMapper().readTree(r.configValue("cassandra-config", "cassandra.yaml"));

        assertThat(yaml.path("authenticator").asText()).isEqualTo("PasswordAuthenticator");
        assertThat(yaml.path("authorizer").asText()).isEqualTo("CassandraAuthorizer");
        assertThat(yaml.path("commitlog_sync").asText()).isEqualTo("group");
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

    // ---------------------------------------------------------------- every container, Service, policy

    @ParameterizedTest(name = "{0}")
    @FieldSource("ALL")
    void everyContainerHasResourcesAndANonRootReadOnlySecurityContext(String dir) {
        Rendered r = Rendered.of(dir);
        assertThat(r.workloads()).isNotEmpty();
        for (Workload w : r.workloads()) {
            PodSpec pod = w.template().getSpec();
            PodSecurityContext podSc =
                    Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
            boolean noToken = Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())
                    || (pod.getServiceAccountName() != null
                            && r.find(ServiceAccount.class, pod.getServiceAccountName())
                                    .map(sa -> Boolean.FALSE.equals(sa.getAutomountServiceAccountToken()))
                                    .orElse(false));
            assertThat(noToken)
                    .as("%s: no service account token (nothing here calls the API)", w.id())
                    .isTrue();
            if (pod.getServiceAccountName() != null) {
                assertThat(r.find(ServiceAccount.class, pod.getServiceAccountName()))
                        .as("%s's ServiceAccount", w.id())
                        .isPresent();
            }
            assertThat(pod.getEnableServiceLinks())
                    .as("%s: enableServiceLinks", w.id())
                    .isFalse();
            for (Container c : w.allContainers()) {
                String id = w.id() + " container " + c.getName();
                assertThat(c.getResources()).as(id).isNotNull();
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = c.getResources().getRequests() == null
                            ? null
                            : c.getResources().getRequests().get(resource);
                    Quantity limit = c.getResources().getLimits() == null
                            ? null
                            : c.getResources().getLimits().get(resource);
                    assertThat(request).as("%s: %s request", id, resource).isNotNull();
                    assertThat(limit).as("%s: %s limit", id, resource).isNotNull();
                    assertThat(Quantity.getAmountInBytes(request))
                            .as("%s: %s request <= limit", id, resource)
                            .isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
                }
                SecurityContext sc = Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
                assertThat(first(sc.getRunAsNonRoot(), podSc.getRunAsNonRoot()))
                        .as("%s: runAsNonRoot", id)
                        .isTrue();
                assertThat(first(sc.getRunAsUser(), podSc.getRunAsUser()))
                        .as("%s: runAsUser", id)
                        .isNotNull()
                        .isPositive();
                assertThat(sc.getAllowPrivilegeEscalation())
                        .as("%s: allowPrivilegeEscalation", id)
                        .isFalse();
                assertThat(sc.getReadOnlyRootFilesystem())
                        .as("%s: readOnlyRootFilesystem", id)
                        .isTrue();
                assertThat(sc.getPrivileged()).as("%s: privileged", id).isNotEqualTo(Boolean.TRUE);
                assertThat(
                                sc.getCapabilities() == null
                                        ? null
                                        : sc.getCapabilities().getDrop())
                        .as("%s: drop", id)
                        .isNotNull()
                        .contains("ALL");
                assertThat(sc.getCapabilities().getAdd())
                        .as("%s: added capabilities", id)
                        .isNullOrEmpty();
                var seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : podSc.getSeccompProfile();
                assertThat(seccomp == null ? null : seccomp.getType())
                        .as("%s: seccomp", id)
                        .isEqualTo("RuntimeDefault");
                assertThat(c.getImage())
                        .as("%s: pinned image", id)
                        .matches(".+:[A-Za-z0-9][A-Za-z0-9._-]*")
                        .doesNotEndWith(":latest");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("ALL")
    void everyServingContainerHasReadinessAndLivenessOnItsOwnPorts(String dir) {
        for (Workload w : Rendered.of(dir).workloads()) {
            if (w.kind().equals("Job")) {
                continue;
            }
            for (Container c : w.template().getSpec().getContainers()) {
                if (c.getPorts() == null || c.getPorts().isEmpty()) {
                    continue;
                }
                String id = w.id() + " container " + c.getName();
                assertThat(c.getReadinessProbe()).as("%s: readinessProbe", id).isNotNull();
                assertThat(c.getLivenessProbe()).as("%s: livenessProbe", id).isNotNull();
                for (Probe probe : Stream.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())
                        .filter(Objects::nonNull)
                        .toList()) {
                    IntOrString port = probe.getHttpGet() != null
                            ? probe.getHttpGet().getPort()
                            : probe.getTcpSocket() != null
                                    ? probe.getTcpSocket().getPort()
                                    : null;
                    if (port != null) {
                        assertThat(resolvePort(c, port))
                                .as("%s: probe port %s is a container port", id, port)
                                .isPositive();
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("ALL")
    void everyServiceSelectsPodsThatHaveItsTargetPorts(String dir) {
        Rendered r = Rendered.of(dir);
        r.services().forEach(s -> {
            List<Workload> pods = r.selected(s.getSpec().getSelector());
            assertThat(pods).as("pods of Service %s", s.getMetadata().getName()).isNotEmpty();
            for (ServicePort p : s.getSpec().getPorts()) {
                for (Workload w : pods) {
                    assertThat(w.template().getSpec().getContainers().stream()
                                    .anyMatch(c -> resolvePort(
                                                    c,
                                                    p.getTargetPort() == null
                                                            ? new IntOrString(p.getPort())
                                                            : p.getTargetPort())
                                            > 0))
                            .as(
                                    "Service %s port %s targets a port of %s",
                                    s.getMetadata().getName(), p.getName(), w.id())
                            .isTrue();
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("ALL")
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
                                                .anyMatch(c -> resolvePort(c, port.getPort()) > 0))
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
    @FieldSource("OVERLAYS")
    void eachComponentIsReachableOnlyFromWhatNeedsIt(String overlay) {
        Rendered r = Rendered.of(overlay);
        assertThat(allowedFrom(r, "kafka"))
                .containsExactlyInAnyOrder("ingestor", "spark-driver", "spark-worker", "kafka-topics", "kafka");
        assertThat(allowedFrom(r, "cassandra"))
                .containsExactlyInAnyOrder("spark-driver", "spark-worker", "cassandra-schema", "cassandra", QUERY_API);
        assertThat(allowedFrom(r, "spark-master")).containsExactlyInAnyOrder("spark-worker", "spark-driver");
        assertThat(allowedFrom(r, "spark-driver"))
                .containsExactlyInAnyOrder("spark-worker", "spark-master", "namespace monitoring", QUERY_API);
        assertThat(allowedFrom(r, "ingestor")).containsExactlyInAnyOrder("namespace monitoring", QUERY_API);
        assertThat(allowedFrom(r, QUERY_API)).containsExactly("any source");
        if (overlay.endsWith("dev")) {
            assertThat(allowedFrom(r, "feed-simulator")).containsExactly("ingestor");
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void referencedSecretsAndConfigMapsExist(String overlay) {
        Rendered r = Rendered.of(overlay);
        Set<String> secrets = new LinkedHashSet<>();
        for (Workload w : r.workloads()) {
            Stream.ofNullable(w.template().getSpec().getVolumes())
                    .flatMap(List::stream)
                    .forEach(v -> {
                        if (v.getSecret() != null) {
                            secrets.add(v.getSecret().getSecretName());
                        }
                        if (v.getConfigMap() != null) {
                            assertThat(r.find(ConfigMap.class, v.getConfigMap().getName()))
                                    .as("%s ConfigMap volume", w.id())
                                    .isPresent();
                        }
                    });
            w.allContainers().forEach(c -> {
                r.env(c); // resolves every configMapKeyRef, fails on a missing one
                Stream.ofNullable(c.getEnv())
                        .flatMap(List::stream)
                        .filter(e ->
                                e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e ->
                                secrets.add(e.getValueFrom().getSecretKeyRef().getName()));
            });
        }
        assertThat(secrets.stream().map(KubernetesConsistencyTest::baseName).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("finnhub-token", "cassandra-credentials");
        if (overlay.endsWith("dev")) {
            for (String s : secrets) {
                assertThat(r.find(Secret.class, s)).as("generated Secret %s", s).isPresent();
            }
            assertThat(r.get(Secret.class, generated(r, "finnhub-token")).getData())
                    .containsKey("token");
            assertThat(r.get(Secret.class, generated(r, "cassandra-credentials"))
                            .getData())
                    .containsKeys("superuser-password", "pipeline-password", "reader-password");
        } else {
            assertThat(r.all(Secret.class))
                    .as("prod references real secrets, never generates them")
                    .isEmpty();
        }
    }

    // ---------------------------------------------------------------- overlays

    @Test
    void devFeedsTheIngestorFromTheSimulator() throws IOException {
        Rendered r = Rendered.of("overlays/dev");
        String url = r.env(r.workload(INGESTOR).container(INGESTOR)).get("FINNHUB_URL");
        assertThat(SourceFacts.ingestorEnvNames()).contains("FINNHUB_URL");
        Service simulator = r.get(Service.class, "feed-simulator");
        assertThat(url)
                .isEqualTo("ws://feed-simulator:"
                        + simulator.getSpec().getPorts().get(0).getPort());
        Container sim = r.workload("feed-simulator").container("feed-simulator");
        List<String> line = r.commandLine(sim);
        String token = Rendered.option(line, "--token").orElseThrow();
        assertThat(token).matches("<secret finnhub-token-[a-z0-9]{10}/token>");
        // the ingestor reads the same generated Secret
        assertThat(volume(r.workload(INGESTOR), "finnhub-token").getSecret().getSecretName())
                .isEqualTo(token.substring("<secret ".length(), token.indexOf('/')));
        // host and port are in the image's ENTRYPOINT (src/main/docker, when it is there)
        Path dockerfile = Kustomize.repoRoot().resolve("src/main/docker/Dockerfile.feed-simulator");
        if (Files.isRegularFile(dockerfile)) {
            assertThat(Files.readString(dockerfile))
                    .contains("\"--host\", \"0.0.0.0\"", "\"--port\", \"" + port(sim, "ws") + "\"");
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

    @Test
    void applicationImagesAreTheOnesComposeBuilds() throws IOException {
        Path compose = Kustomize.repoRoot().resolve("compose/compose.yaml");
        Set<String> images = new LinkedHashSet<>();
        for (String overlay : OVERLAYS) {
            Rendered.of(overlay).workloads().forEach(w -> w.allContainers().forEach(c -> images.add(c.getImage())));
        }
        Set<String> ours = images.stream()
                .map(KubernetesConsistencyTest::withoutRegistry)
                .filter(i -> i.startsWith("finnhub-pipeline/"))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String version = CodeFacts.pomProperty("pom.xml", "version").replace("-SNAPSHOT", "");
        assertThat(ours)
                .containsExactlyInAnyOrder(
                        "finnhub-pipeline/ingestor:" + version,
                        "finnhub-pipeline/spark-job:" + version,
                        "finnhub-pipeline/feed-simulator:" + version,
                        "finnhub-pipeline/query-api:" + version);
        assertThat(images)
                .anyMatch(i -> i.matches("apache/kafka:4\\.\\d+\\.\\d+"))
                .anyMatch(i -> i.matches("cassandra:5\\.0\\.\\d+"));
        // Compose builds the same images (its own tag, e.g. :dev)
        if (Files.isRegularFile(compose)) {
            String text = Files.readString(compose);
            for (String image : ours) {
                String repository = image.substring(0, image.lastIndexOf(':'));
                assertThat(text)
                        .as("compose/compose.yaml names the image %s", repository)
                        .contains("image: " + repository + ":");
            }
        }
        // the job jar is where the Spark job image puts it
        Path sparkDockerfile = Kustomize.repoRoot().resolve("src/main/docker/Dockerfile.spark-job");
        if (Files.isRegularFile(sparkDockerfile)) {
            assertThat(Files.readString(sparkDockerfile))
                    .contains(" " + Rendered.of("overlays/dev").configValue("pipeline-config", "spark-job-jar"));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The job's arguments: what follows the job jar on the spark-submit line (whose --class is the job's main). */
    private static List<String> jobArguments(Rendered r, Container c) {
        List<String> line = r.commandLine(c);
        assertThat(line.get(0)).endsWith("/spark-submit");
        assertThat(Rendered.option(line, "--class")).contains(SourceFacts.jobMainClass());
        String jar = r.configValue("pipeline-config", "spark-job-jar");
        int at = line.indexOf(jar);
        assertThat(at).as("the job jar %s on the spark-submit line", jar).isPositive();
        return line.subList(at + 1, line.size());
    }

    private static void assertOptionsKnown(List<String> jobArgs, String who) {
        Set<String> known = SourceFacts.jobOptions();
        for (String arg : jobArgs) {
            if (arg.startsWith("--")) {
                String name = arg.substring(2).split("=", 2)[0];
                assertThat(known)
                        .as("%s passes --%s: an option of JobSettings", who, name)
                        .contains(name);
            }
        }
    }

    private static void assertCassandraConnection(Rendered r, List<String> jobArgs, Workload w, Container c) {
        StatefulSet cassandra = r.get(StatefulSet.class, "cassandra");
        String dc = r.env(cassandra
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0))
                .get("CASSANDRA_DC");
        assertThat(Rendered.option(jobArgs, "--cassandra-local-dc")).contains(dc);
        int cql = Integer.parseInt(
                Rendered.option(jobArgs, "--cassandra-port").orElse(SourceFacts.jobOptionDefault("cassandra-port")));
        for (String host :
                Rendered.option(jobArgs, "--cassandra-host").orElseThrow().split(",")) {
            Service s = r.get(Service.class, host.strip());
            assertThat(s.getSpec().getSelector())
                    .isEqualTo(cassandra.getSpec().getSelector().getMatchLabels());
            assertThat(s.getSpec().getPorts()).anyMatch(p -> p.getPort() == cql);
        }
        assertThat(Rendered.option(jobArgs, "--cassandra-username")).isPresent();
        assertThat(jobArgs).doesNotContain("--cassandra-password");
        String passwordFile =
                Rendered.option(jobArgs, "--cassandra-password-file").orElseThrow();
        VolumeMount mount = mountOf(c, passwordFile);
        Volume v = volume(w, mount.getName());
        assertThat(v.getSecret()).isNotNull();
        assertThat(baseName(v.getSecret().getSecretName())).isEqualTo("cassandra-credentials");
        assertThat(passwordFile).isEqualTo(mount.getMountPath() + "/pipeline-password");
    }

    /** Each host:port is a Service of this render with that port, selecting the kafka pods. */
    private static void assertKafkaBootstrap(Rendered r, String bootstrap) {
        Map<String, String> kafkaPods =
                r.get(StatefulSet.class, "kafka").getSpec().getSelector().getMatchLabels();
        for (String server : bootstrap.split(",")) {
            String[] hostPort = server.strip().split(":");
            Service s = r.get(Service.class, hostPort[0]);
            assertThat(s.getSpec().getSelector()).isEqualTo(kafkaPods);
            assertThat(s.getSpec().getPorts()).anyMatch(p -> p.getPort() == Integer.parseInt(hostPort[1]));
        }
    }

    /** Names of the pods (app label) and namespaces allowed into the pods labelled app=target. */
    private static Set<String> allowedFrom(Rendered r, String target) {
        Set<String> from = new LinkedHashSet<>();
        List<NetworkPolicyIngressRule> rules = r.networkPolicies()
                .filter(p -> Map.of("app", target)
                        .equals(p.getSpec().getPodSelector().getMatchLabels()))
                .flatMap(p -> p.getSpec().getIngress().stream())
                .toList();
        if (rules.stream().anyMatch(rule -> rule.getFrom().isEmpty())) {
            from.add("any source"); // a rule without `from`
        }
        rules.stream().flatMap(rule -> rule.getFrom().stream()).forEach(peer -> {
            if (peer.getNamespaceSelector() != null) {
                from.add("namespace "
                        + peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
            } else if (peer.getPodSelector() != null) {
                from.add(peer.getPodSelector().getMatchLabels().get("app"));
            }
        });
        return from;
    }

    /**
     * {@code url} is http://&lt;Service&gt;:&lt;port&gt;&lt;path&gt; where the Service selects {@code workload}'s pods and its port
     * leads to the container port of {@code expected} ("&lt;container port&gt; &lt;path&gt;", as {@link #httpGet}).
     */
    private static void assertEndpoint(Rendered r, String url, String workload, String expected) {
        assertThat(url).as("URL for %s", workload).isNotBlank();
        URI uri = URI.create(url);
        assertThat(uri.getScheme()).isEqualTo("http");
        int target = servicePortTarget(r, uri.getHost(), uri.getPort(), r.workload(workload));
        assertThat(target + " " + uri.getPath()).as(url).isEqualTo(expected);
    }

    /** The container port of {@code target} that Service {@code host}'s port {@code port} leads to. */
    private static int servicePortTarget(Rendered r, String host, int port, Workload target) {
        Service s = r.get(Service.class, host);
        assertThat(target.labels())
                .as("Service %s selects %s", host, target.id())
                .containsAllEntriesOf(s.getSpec().getSelector());
        ServicePort servicePort = s.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == port)
                .findFirst()
                .orElseThrow(() -> new AssertionError("Service " + host + " has no port " + port));
        IntOrString targetPort =
                servicePort.getTargetPort() == null ? new IntOrString(port) : servicePort.getTargetPort();
        int resolved = target.template().getSpec().getContainers().stream()
                .mapToInt(c -> resolvePort(c, targetPort))
                .filter(p -> p > 0)
                .findFirst()
                .orElse(-1);
        assertThat(resolved)
                .as("Service %s port %s is a container port of %s", host, port, target.id())
                .isPositive();
        return resolved;
    }

    private static boolean selects(NetworkPolicy p, Workload w) {
        Map<String, String> selector = p.getSpec().getPodSelector().getMatchLabels();
        return selector == null || w.labels().entrySet().containsAll(selector.entrySet());
    }

    /** Whether some NetworkPolicy of {@code target} lets {@code client}'s pods in on container port {@code port}. */
    private static boolean allows(Rendered r, Workload client, Workload target, int port) {
        return r.networkPolicies()
                .filter(p -> selects(p, target))
                .flatMap(p -> Stream.ofNullable(p.getSpec().getIngress()).flatMap(List::stream))
                .filter(rule -> rule.getFrom().isEmpty()
                        || rule.getFrom().stream()
                                .anyMatch(peer -> peer.getNamespaceSelector() == null
                                        && peer.getPodSelector() != null
                                        && peer.getPodSelector().getMatchLabels() != null
                                        && client.labels()
                                                .entrySet()
                                                .containsAll(peer.getPodSelector()
                                                        .getMatchLabels()
                                                        .entrySet())))
                .anyMatch(rule -> rule.getPorts().isEmpty()
                        || rule.getPorts().stream()
                                .anyMatch(p -> target.template().getSpec().getContainers().stream()
                                        .anyMatch(c -> resolvePort(c, p.getPort()) == port)));
    }

    private static String httpGet(Container c, Probe probe) {
        assertThat(probe).as("probe of %s", c.getName()).isNotNull();
        assertThat(probe.getHttpGet()).as("httpGet probe of %s", c.getName()).isNotNull();
        return resolvePort(c, probe.getHttpGet().getPort()) + " "
                + probe.getHttpGet().getPath();
    }

    /** A port number or name resolved against the container's ports (-1 when it is not one of them). */
    private static int resolvePort(Container c, IntOrString port) {
        List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
        if (port.getStrVal() != null) {
            return ports.stream()
                    .filter(p -> port.getStrVal().equals(p.getName()))
                    .mapToInt(ContainerPort::getContainerPort)
                    .findFirst()
                    .orElse(-1);
        }
        int n = port.getIntVal();
        return ports.stream().anyMatch(p -> p.getContainerPort() == n) ? n : -1;
    }

    private static int port(Container c, String name) {
        int p = resolvePort(c, new IntOrString(name));
        assertThat(p).as("port %s of %s", name, c.getName()).isPositive();
        return p;
    }

    private static VolumeMount mountOf(Container c, String path) {
        return Stream.ofNullable(c.getVolumeMounts())
                .flatMap(List::stream)
                .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + path));
    }

    private static Volume volume(Workload w, String name) {
        return w.template().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(w.id() + " has no volume " + name));
    }

    /** {@code registry.example.com/finnhub-pipeline/x:1} -> {@code finnhub-pipeline/x:1} (prod's images: entries). */
    static String withoutRegistry(String image) {
        return image.replaceFirst("^[^/]+\\.[^/]+/(finnhub-pipeline/)", "$1");
    }

    /** A generated name without kustomize's hash suffix. */
    private static String baseName(String name) {
        return name.replaceFirst("-[a-z0-9]{10}$", "");
    }

    private static String generated(Rendered r, String base) {
        return r.all(Secret.class).stream()
                .map(s -> s.getMetadata().getName())
                .filter(n -> baseName(n).equals(base))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Secret " + base));
    }

    private static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(duration.strip());
        assertThat(m.matches()).as("duration %s", duration).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n / 1000;
            case "s" -> n;
            case "m" -> n * 60;
            default -> n * 3600;
        };
    }

    /** Spark/JVM sizes: 512m, 1g, 3g. */
    private static long bytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([kmgt])").matcher(size.strip().toLowerCase(Locale.ROOT));
        assertThat(m.matches()).as("size %s", size).isTrue();
        long n = Long.parseLong(m.group(1));
        return n
                << switch (m.group(2)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 40;
                };
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
