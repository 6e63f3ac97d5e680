package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.deploy.compose.ComposeFile;
import io.streamingpipeline.deploy.compose.ExampleEnv;
import io.streamingpipeline.deploy.compose.Repo;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What the first {@code kubectl apply -k} on an empty cluster meets: each component waits (bounded) for what it needs
 * instead of crash-looping, the roles are set up in order, names resolve in any cluster, prod pulls its images from a
 * registry, and the Spark master can be restarted.
 */
class FirstApplyTest {

    static final List<String> OVERLAYS = Kustomize.DIRECTORIES.stream()
            .filter(d -> d.startsWith("overlays/"))
            .toList();
    private static final String ROLES_SCRIPT = "cassandra-bootstrap-roles.sh";

    /** The driver starts once its tables exist, as the role and with the password file the job itself uses. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void driverWaitsUntilItsRoleCanReadItsTables(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload driver = r.workload("spark-driver");
        List<String> job = jobArguments(r, driver.container("spark-driver"));
        Container wait = onlyInitContainer(driver);
        Map<String, String> env = assertAwaitsTables(r, driver, wait);

        assertThat(env.get("CASSANDRA_LOGIN_USERNAME"))
                .isEqualTo(Rendered.option(job, "--cassandra-username").orElseThrow());
        String passwordFile = Rendered.option(job, "--cassandra-password-file").orElseThrow();
        assertThat(env.get("CASSANDRA_LOGIN_SECRET_KEY"))
                .isEqualTo(Path.of(passwordFile).getFileName().toString());
        assertThat(env.get("CASSANDRA_KEYSPACE"))
                .isEqualTo(Rendered.option(job, "--keyspace").orElseThrow());
        // the startup probe no longer has to cover the wait for the schema
        assertThat(driver.container("spark-driver").getStartupProbe().getFailureThreshold()
                        * driver.container("spark-driver").getStartupProbe().getPeriodSeconds())
                .isLessThanOrEqualTo(300);
    }

    /** The query service starts once its read-only role can read the tables, i.e. after the schema Job's grants. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void queryApiWaitsUntilItsReadOnlyRoleCanReadTheTables(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload queryApi = r.workload("query-api");
        Map<String, String> service = r.env(queryApi.container("query-api"));
        Map<String, String> env = assertAwaitsTables(r, queryApi, onlyInitContainer(queryApi));

        assertThat(env.get("CASSANDRA_LOGIN_USERNAME"))
                .isEqualTo(service.get("QUARKUS_CASSANDRA_AUTH_USERNAME"))
                .isEqualTo(
                        r.env(r.workload("cassandra-schema").container("roles")).get("CASSANDRA_READER_USERNAME"))
                .isNotEqualTo(r.configValue("pipeline-config", "cassandra-username"));
        assertThat(env.get("CASSANDRA_LOGIN_SECRET_KEY"))
                .isEqualTo(Path.of(service.get("QUERY_CASSANDRA_PASSWORD_FILE"))
                        .getFileName()
                        .toString());
        assertThat(env.get("CASSANDRA_KEYSPACE")).isEqualTo(service.get("QUERY_KEYSPACE"));
    }

    /** The ingestor starts once both topics exist: the topics it publishes to. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void ingestorWaitsForItsTopics(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload ingestor = r.workload("ingestor");
        Container wait = onlyInitContainer(ingestor);
        Map<String, String> env = r.env(wait);
        Map<String, String> own = r.env(ingestor.container("ingestor"));

        assertThat(r.commandLine(wait)).containsExactly("/bin/bash", "/scripts/kafka-await-topics.sh");
        assertThat(mountedConfigMap(ingestor, wait, "/scripts")).isEqualTo("kafka-scripts");
        assertThat(env)
                .containsEntry("KAFKA_BOOTSTRAP_SERVERS", own.get("KAFKA_BOOTSTRAP_SERVERS"))
                .containsEntry("TRADES_TOPIC", own.get("TRADES_TOPIC"))
                .containsEntry("TRADES_DLQ_TOPIC", own.get("TRADES_DLQ_TOPIC"));
        String script = r.configValue("kafka-scripts", "kafka-await-topics.sh");
        assertThat(script).contains("${TRADES_TOPIC}", "${TRADES_DLQ_TOPIC}", "AWAIT_TIMEOUT", "exit 1");
    }

    /** roles, then the schema as the writer, then the grants; system_auth waits for every node of the StatefulSet. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void schemaJobSetsUpRolesSchemaAndGrantsInOrder(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload job = r.workload("cassandra-schema");
        Container roles = job.container("roles");
        Container grants = job.container("grants");
        assertThat(r.commandLine(roles)).containsExactly("/bin/bash", "/scripts/" + ROLES_SCRIPT, "roles");
        assertThat(r.commandLine(grants)).containsExactly("/bin/bash", "/scripts/" + ROLES_SCRIPT, "grants");
        int nodes = r.get(StatefulSet.class, "cassandra").getSpec().getReplicas();
        assertThat(r.env(roles))
                .containsEntry("CASSANDRA_NODES", Integer.toString(nodes))
                .containsEntry("CASSANDRA_USERNAME", r.configValue("pipeline-config", "cassandra-username"));
        assertThat(Integer.parseInt(r.env(roles).get("CASSANDRA_LOGIN_TIMEOUT")))
                .isBetween(600, 3600);
        assertThat(r.env(grants).get("CASSANDRA_KEYSPACE"))
                .isEqualTo(r.configValue("pipeline-config", "cassandra-keyspace"));
        assertThat(r.env(grants).get("CASSANDRA_READER_USERNAME"))
                .isEqualTo(r.env(roles).get("CASSANDRA_READER_USERNAME"));
        // every key the script reads is in the Secret (dev: generated) and in the README's prod instructions
        Set<String> keys = secretKeysTheScriptReads();
        assertThat(keys).containsExactlyInAnyOrder("superuser-password", "pipeline-password", "reader-password");
        if (overlay.endsWith("dev")) {
            Secret secret = r.all(Secret.class).stream()
                    .filter(s -> s.getMetadata().getName().startsWith("cassandra-credentials"))
                    .findFirst()
                    .orElseThrow();
            assertThat(secret.getData()).containsKeys(keys.toArray(String[]::new));
        } else {
            String readme = Repo.read("README.md");
            keys.forEach(key -> assertThat(readme).contains("--from-file=cassandra-secrets/" + key));
        }
        // a Job is immutable: the README says to delete them before applying changes
        for (Job j : r.all(Job.class)) {
            assertThat(j.getSpec().getTtlSecondsAfterFinished())
                    .as(j.getMetadata().getName())
                    .isPositive();
        }
        assertThat(Repo.read("README.md")).contains("delete job kafka-topics cassandra-schema");
    }

    /** Names end in .svc: the pods' DNS search list adds the cluster's own domain, whatever it is. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void noClusterDomainIsWrittenIntoTheManifests(String overlay) {
        Rendered r = Rendered.of(overlay);
        String all = new KubernetesSerialization().asYaml(r.objects);
        assertThat(all).doesNotContain("cluster.local");
        assertThat(r.configValue("kafka-scripts", "kafka-start.sh"))
                .contains("advertised.listeners=PLAINTEXT://${POD_NAME}.kafka-headless.${POD_NAMESPACE}.svc:9092");
    }

    @Test
    void prodPullsTheApplicationImagesFromARegistryDevFromTheNode() {
        Set<String> dev = applicationImages(Rendered.of("overlays/dev"));
        Set<String> prod = applicationImages(Rendered.of("overlays/prod"));
        assertThat(dev).allMatch(i -> i.startsWith("finnhub-pipeline/"));
        assertThat(prod).isNotEmpty().allMatch(i -> i.matches("[a-z0-9.-]+\\.[a-z]+(:\\d+)?/.+/[a-z-]+:0\\.1\\.0"));
        // the README pushes exactly these, and rewrites the overlay's registry
        String readme = Repo.read("README.md");
        Set<String> names = prod.stream()
                .map(i -> i.substring(i.lastIndexOf('/') + 1, i.lastIndexOf(':')))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(readme)
                .contains("for image in " + String.join(" ", List.of("ingestor", "spark-job", "query-api")) + ";");
        assertThat(names).containsExactlyInAnyOrder("ingestor", "spark-job", "query-api");
        String registry = prod.iterator().next().replaceFirst("/[a-z-]+:0\\.1\\.0$", "");
        assertThat(readme).contains("REGISTRY=" + registry, "s#" + registry + "#$REGISTRY#");
    }

    /** A restarted master reads its workers and the running application back from a volume. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("OVERLAYS")
    void sparkMasterRecoversFromItsVolume(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload master = r.workload("spark-master");
        Container c = master.container("spark-master");
        String directory = recoveryDirectory(r.env(c).get("SPARK_DAEMON_JAVA_OPTS"));
        VolumeMount mount = c.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(directory))
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + directory));
        Volume recovery = master.template().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(recovery.getPersistentVolumeClaim())
                .as("a volume that outlives the pod")
                .isNotNull();
        assertThat(master.template().getSpec().getSecurityContext().getFsGroup())
                .isNotNull();
        assertThat(r.get(Deployment.class, "spark-master")
                        .getSpec()
                        .getStrategy()
                        .getType())
                .isEqualTo("Recreate");

        ComposeFile compose = ComposeFile.load(Repo.path("compose/compose.yaml"), ExampleEnv.filledIn());
        String composeDirectory =
                recoveryDirectory(compose.environment("spark-master").get("SPARK_DAEMON_JAVA_OPTS"));
        String volume = compose.volumes("spark-master").get(composeDirectory);
        assertThat(((Map<?, ?>) compose.model().get("volumes")).containsKey(volume))
                .as("named volume %s", volume)
                .isTrue();
    }

    @Test
    void prodCassandraHasOneSeedTheFirstNode() {
        Rendered r = Rendered.of("overlays/prod");
        String headless = r.get(StatefulSet.class, "cassandra").getSpec().getServiceName();
        assertThat(r.configValue("cassandra-config", "seeds")).isEqualTo("cassandra-0." + headless);
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> assertAwaitsTables(Rendered r, Workload w, Container wait) {
        assertThat(r.commandLine(wait)).containsExactly("/bin/bash", "/scripts/" + ROLES_SCRIPT, "await-tables");
        assertThat(mountedConfigMap(w, wait, "/scripts")).isEqualTo("cassandra-scripts");
        Map<String, String> env = r.env(wait);
        assertThat(env.get("CASSANDRA_TABLES").split(","))
                .containsExactlyInAnyOrder(CassandraSchema.TRADES_TABLE, CassandraSchema.CANDLES_TABLE);
        assertThat(Integer.parseInt(env.get("CASSANDRA_LOGIN_TIMEOUT")))
                .as("bounded")
                .isBetween(60, 3600);
        // the password file it names is in the Secret volume it mounts where the script looks
        String key = env.get("CASSANDRA_LOGIN_SECRET_KEY");
        VolumeMount secrets = wait.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/secrets/cassandra"))
                .findFirst()
                .orElseThrow();
        Volume volume = w.template().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(secrets.getName()))
                .findFirst()
                .orElseThrow();
        assertThat(volume.getSecret().getSecretName()).startsWith("cassandra-credentials");
        if (volume.getSecret().getItems() != null) {
            assertThat(volume.getSecret().getItems())
                    .anyMatch(i -> i.getKey().equals(key) && i.getPath().equals(key));
        }
        return env;
    }

    private static Container onlyInitContainer(Workload w) {
        List<Container> init = w.template().getSpec().getInitContainers();
        assertThat(init).as("%s init containers", w.id()).hasSize(1);
        return init.get(0);
    }

    private static String mountedConfigMap(Workload w, Container c, String path) {
        VolumeMount mount = c.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + path));
        Volume volume = w.template().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName()))
                .findFirst()
                .orElseThrow();
        return volume.getConfigMap().getName().replaceFirst("-[a-z0-9]{10}$", "");
    }

    private static Set<String> secretKeysTheScriptReads() {
        Set<String> keys = new TreeSet<>();
        Matcher m =
                Pattern.compile("secret ([a-z-]+-password) ").matcher(Repo.read("k8s/base/scripts/" + ROLES_SCRIPT));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static Set<String> applicationImages(Rendered r) {
        return r.workloads().stream()
                .flatMap(w -> w.allContainers().stream())
                .map(Container::getImage)
                .filter(i -> i.contains("finnhub-pipeline/"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String recoveryDirectory(String opts) {
        assertThat(opts).contains("-Dspark.deploy.recoveryMode=FILESYSTEM");
        Matcher m =
                Pattern.compile("-Dspark\\.deploy\\.recoveryDirectory=(\\S+)").matcher(opts);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static List<String> jobArguments(Rendered r, Container c) {
        List<String> line = r.commandLine(c);
        String jar = r.configValue("pipeline-config", "spark-job-jar");
        return line.subList(line.indexOf(jar) + 1, line.size());
    }
}
