package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.streamingpipeline.deploy.compose.AirflowFacts;
import io.streamingpipeline.deploy.compose.ComposeFile;
import io.streamingpipeline.deploy.compose.Repo;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * k8s/components/airflow through the overlay that uses it (overlays/dev-airflow = dev + the component): Postgres 16 and
 * Airflow 3 as in Compose, the day jobs' settings equal to what the DAGs read and to the pipeline's own settings,
 * secrets only from Secrets, and the Spark master's REST endpoint reachable from the Airflow scheduler only.
 */
class AirflowKubernetesTest {

    static final String OVERLAY = "overlays/dev-airflow";
    static final List<String> AIRFLOW =
            List.of("airflow-init", "airflow-api-server", "airflow-scheduler", "airflow-dag-processor");
    static final Pattern SECRET = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN).*");
    /** The settings every Airflow component shares, identical in Compose and here. */
    static final List<String> SHARED_SETTINGS = List.of(
            "AIRFLOW__CORE__EXECUTOR",
            "AIRFLOW__CORE__AUTH_MANAGER",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
            "AIRFLOW__CORE__LOAD_EXAMPLES",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK");

    private static Rendered r() {
        return Rendered.of(OVERLAY);
    }

    private static Container main(Workload w) {
        return w.template().getSpec().getContainers().get(0);
    }

    /** The container's environment with envFrom ConfigMaps resolved (envFrom first, env wins). */
    private static Map<String, String> env(Rendered r, Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource from : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
            env.putAll(configMap(r, from.getConfigMapRef().getName()));
        }
        env.putAll(r.env(c));
        return env;
    }

    private static Map<String, String> configMap(Rendered r, String name) {
        return r.all(ConfigMap.class).stream()
                .filter(cm -> baseName(cm.getMetadata().getName()).equals(baseName(name)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name))
                .getData();
    }

    private static String baseName(String name) {
        return name.replaceFirst("-[a-z0-9]{10}$", "");
    }

    private static Set<String> names(Rendered r) {
        return r.objects.stream()
                .map(o -> o.getKind() + "/" + baseName(o.getMetadata().getName()))
                .collect(Collectors.toSet());
    }

    /** Which workloads' pods may open {@code port} (a name) of the pods labelled app={@code target}. */
    private static Set<String> allowedFrom(Rendered r, String target, String port) {
        Set<String> from = new LinkedHashSet<>();
        r.networkPolicies()
                .filter(p -> Map.of("app", target)
                        .equals(p.getSpec().getPodSelector().getMatchLabels()))
                .flatMap(p -> p.getSpec().getIngress().stream())
                .filter(rule -> rule.getPorts().isEmpty()
                        || rule.getPorts().stream()
                                .map(NetworkPolicyPort::getPort)
                                .anyMatch(p -> port.equals(p.getStrVal())))
                .forEach((NetworkPolicyIngressRule rule) -> {
                    if (rule.getFrom().isEmpty()) {
                        from.add("any source");
                    }
                    rule.getFrom()
                            .forEach(peer -> from.add(
                                    peer.getPodSelector() == null
                                            ? "namespace "
                                                    + peer.getNamespaceSelector()
                                                            .getMatchLabels()
                                            : peer.getPodSelector()
                                                    .getMatchLabels()
                                                    .get("app")));
                });
        return from;
    }

    @Test
    void devAirflowIsDevPlusTheComponentAndDevItselfStaysWithoutIt() {
        Set<String> dev = names(Rendered.of("overlays/dev"));
        Set<String> withAirflow = names(r());
        assertThat(withAirflow).containsAll(dev);
        assertThat(withAirflow)
                .contains(
                        "StatefulSet/postgres",
                        "Deployment/airflow-api-server",
                        "Deployment/airflow-scheduler",
                        "Deployment/airflow-dag-processor",
                        "Job/airflow-init",
                        "Service/postgres",
                        "Service/airflow-api-server");
        for (String overlay : List.of("overlays/dev", "overlays/prod", "base")) {
            Rendered other = Rendered.of(overlay);
            assertThat(other.findWorkload("airflow-scheduler")).as(overlay).isEmpty();
            assertThat(env(other, main(other.workload("spark-master"))))
                    .as(overlay + ": REST endpoint off")
                    .doesNotContainKey("SPARK_MASTER_OPTS");
        }
    }

    @Test
    void imagesAreComposesPostgres16AndAirflow3() {
        ComposeFile compose = ComposeFile.load(
                Repo.path("compose/compose.yaml"), io.streamingpipeline.deploy.compose.ExampleEnv.filledIn());
        Rendered r = r();
        assertThat(main(r.workload("postgres")).getImage())
                .isEqualTo(compose.service("postgres").get("image"))
                .startsWith("postgres:16.");
        for (String name : AIRFLOW) {
            for (Container c : r.workload(name).allContainers()) {
                assertThat(c.getImage())
                        .as(name)
                        .isEqualTo(compose.service("airflow-scheduler").get("image"));
            }
        }
        assertThat(r.workload("airflow-api-server").template().getSpec().getInitContainers())
                .as("waits for the migration")
                .singleElement()
                .satisfies(c -> assertThat(c.getArgs()).startsWith("db", "check-migrations"));
        assertThat(main(r.workload("airflow-api-server")).getArgs()).containsExactly("api-server");
        assertThat(main(r.workload("airflow-scheduler")).getArgs()).containsExactly("scheduler");
        assertThat(main(r.workload("airflow-dag-processor")).getArgs()).containsExactly("dag-processor");
    }

    @Test
    void airflowSettingsAreComposesAndTheExecutionApiIsTheApiServersService() {
        ComposeFile compose = ComposeFile.load(
                Repo.path("compose/compose.yaml"), io.streamingpipeline.deploy.compose.ExampleEnv.filledIn());
        Rendered r = r();
        for (String name : AIRFLOW) {
            Map<String, String> env = env(r, main(r.workload(name)));
            for (String setting : SHARED_SETTINGS) {
                assertThat(env.get(setting))
                        .as(name + " " + setting)
                        .isEqualTo(compose.environment(name).get(setting));
            }
            assertThat(env.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN").replaceAll("-[a-z0-9]{10}/", "/"))
                    .as(name)
                    .isEqualTo(
                            "postgresql+psycopg2://airflow:<secret postgres-credentials/airflow-password>@postgres:5432/airflow");
            assertThat(env.get("AIRFLOW__API_AUTH__JWT_SECRET").replaceAll("-[a-z0-9]{10}/", "/"))
                    .as(name)
                    .isEqualTo("<secret airflow-credentials/jwt-secret>");
        }
        URI execution = URI.create(
                env(r, main(r.workload("airflow-scheduler"))).get("AIRFLOW__CORE__EXECUTION_API_SERVER_URL"));
        Service api = r.get(Service.class, execution.getHost());
        assertThat(api.getSpec().getPorts()).anyMatch(p -> p.getPort() == execution.getPort());
        assertThat(allowedFrom(r, "airflow-api-server", "http"))
                .containsExactlyInAnyOrder("airflow-scheduler", "airflow-dag-processor");
        assertThat(allowedFrom(r, "postgres", "postgres"))
                .containsExactlyInAnyOrder(
                        "airflow-init",
                        "airflow-api-server",
                        "airflow-scheduler",
                        "airflow-dag-processor",
                        "spark-worker");
        assertThat(allowedFrom(r, "airflow-scheduler", "logs")).containsExactly("airflow-api-server");
    }

    /** Passwords and the JWT secret only from Secrets; the ConfigMaps hold none; the init script comes from a ConfigMap. */
    @Test
    void secretsComeOnlyFromSecrets() {
        Rendered r = r();
        for (Workload w : Stream.concat(AIRFLOW.stream(), Stream.of("postgres"))
                .map(r::workload)
                .toList()) {
            for (Container c : w.allContainers()) {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (SECRET.matcher(e.getName()).matches()) {
                        assertThat(e.getValueFrom())
                                .as(w.id() + " " + e.getName())
                                .isNotNull();
                        assertThat(e.getValueFrom().getSecretKeyRef())
                                .as(w.id() + " " + e.getName())
                                .isNotNull();
                    }
                    if (e.getValue() != null) {
                        assertThat(e.getValue()).as(w.id() + " " + e.getName()).doesNotContain("dev-");
                    }
                }
                String line = String.join(" ", r.commandLine(c));
                assertThat(line).as(w.id()).doesNotContain("--password").doesNotContain("<secret");
            }
        }
        for (ConfigMap cm : r.all(ConfigMap.class)) {
            if (baseName(cm.getMetadata().getName()).startsWith("airflow")) {
                cm.getData()
                        .forEach((k, v) -> assertThat(SECRET.matcher(k).matches() && !k.endsWith("_FILE"))
                                .as(cm.getMetadata().getName() + " " + k)
                                .isFalse());
            }
        }
        assertThat(secretKeys(r, "postgres-credentials"))
                .containsExactlyInAnyOrder("superuser-password", "airflow-password", "pipeline-ops-password");
        assertThat(secretKeys(r, "airflow-credentials")).containsExactlyInAnyOrder("jwt-secret", "admin-password");
        assertThat(String.join(" ", main(r.workload("airflow-init")).getArgs()))
                .contains("\"$AIRFLOW_ADMIN_PASSWORD\" \"$AIRFLOW_ADMIN_PASSWORD\" | airflow users create");
        Workload postgres = r.workload("postgres");
        assertThat(main(postgres).getVolumeMounts())
                .anyMatch(m -> m.getMountPath().equals("/docker-entrypoint-initdb.d"));
        assertThat(configMap(r, "postgres-scripts"))
                .containsEntry("postgres-create-databases.sh", Repo.read(AirflowFacts.POSTGRES_INIT));
    }

    private static Set<String> secretKeys(Rendered r, String name) {
        return r.all(Secret.class).stream()
                .filter(s -> baseName(s.getMetadata().getName()).equals(name))
                .findFirst()
                .orElseThrow()
                .getData()
                .keySet();
    }

    /** No authentication on the REST endpoint: only the Airflow scheduler may reach it, and no Service publishes it. */
    @Test
    void restSubmissionPortIsReachableFromTheSchedulerOnly() {
        Rendered r = r();
        Container master = main(r.workload("spark-master"));
        assertThat(master.getPorts())
                .anyMatch(p -> "rest".equals(p.getName()) && p.getContainerPort() == AirflowFacts.REST_PORT);
        assertThat(env(r, master).get("SPARK_MASTER_OPTS"))
                .isEqualTo("-Dspark.master.rest.enabled=true -Dspark.master.rest.port=" + AirflowFacts.REST_PORT);
        assertThat(allowedFrom(r, "spark-master", "rest")).containsExactly("airflow-scheduler");
        for (Service s : r.all(Service.class)) {
            assertThat(s.getSpec().getType()).as(s.getMetadata().getName()).isIn(null, "ClusterIP");
        }
        URI rest = URI.create(env(r, main(r.workload("airflow-scheduler"))).get("SPARK_MASTER_REST_URL"));
        assertThat(r.get(Service.class, rest.getHost()).getSpec().getPorts())
                .anyMatch(p -> p.getPort() == rest.getPort()
                        && "rest".equals(p.getTargetPort().getStrVal()));
    }

    /** The scheduler (where the tasks run) gets exactly what settings.py reads, consistent with the pipeline's settings. */
    @Test
    void dayJobSettingsAreWhatTheDagsReadAndAgreeWithThePipeline() {
        Rendered r = r();
        Map<String, String> dayJobs = configMap(r, "airflow-day-jobs");
        Set<String> expected = new LinkedHashSet<>(AirflowFacts.dayJobEnvNames());
        expected.add(AirflowFacts.extraConfEnvName());
        assertThat(dayJobs.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(env(r, main(r.workload("airflow-scheduler")))).containsAllEntriesOf(dayJobs);
        for (String name : List.of("airflow-api-server", "airflow-dag-processor", "airflow-init")) {
            assertThat(env(r, main(r.workload(name)))).as(name).doesNotContainKeys(expected.toArray(String[]::new));
        }

        assertThat(dayJobs.get("DAYJOBS_JAR")).isEqualTo("file:" + r.configValue("pipeline-config", "spark-job-jar"));
        assertThat(dayJobs.get("DAYJOBS_KAFKA_BOOTSTRAP_SERVERS"))
                .isEqualTo(r.configValue("pipeline-config", "kafka-bootstrap-servers"));
        assertThat(dayJobs.get("DAYJOBS_CASSANDRA_HOST"))
                .isEqualTo(r.configValue("pipeline-config", "cassandra-hosts"));
        assertThat(dayJobs.get("DAYJOBS_CASSANDRA_LOCAL_DC"))
                .isEqualTo(r.configValue("pipeline-config", "cassandra-datacenter"));
        assertThat(dayJobs.get("DAYJOBS_CASSANDRA_USERNAME"))
                .isEqualTo(r.configValue("pipeline-config", "cassandra-username"));
        URI jdbc = URI.create(dayJobs.get("DAYJOBS_OPS_JDBC_URL").substring("jdbc:".length()));
        assertThat(r.get(Service.class, jdbc.getHost()).getSpec().getPorts())
                .anyMatch(p -> p.getPort() == jdbc.getPort());
        assertThat(AirflowFacts.createdDatabases()).contains(jdbc.getPath().substring(1));
        assertThat(AirflowFacts.createdRoles()).contains(dayJobs.get("DAYJOBS_OPS_USER"));

        // the password files are mounted in the worker's pod, where the drivers run
        Workload worker = r.workload("spark-worker");
        assertThat(mountedFiles(worker))
                .contains(
                        dayJobs.get("DAYJOBS_CASSANDRA_PASSWORD_FILE") + " <- cassandra-credentials/pipeline-password",
                        dayJobs.get("DAYJOBS_OPS_PASSWORD_FILE") + " <- postgres-credentials/pipeline-ops-password");
        // the driver's fixed ports are the worker's, opened to the master and the workers
        Map<String, Integer> ports = main(worker).getPorts().stream()
                .filter(p -> p.getName() != null)
                .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
        assertThat(dayJobs.get("DAYJOBS_SPARK_CONF"))
                .contains("spark.driver.port=" + ports.get("day-job-rpc"))
                .contains("spark.driver.blockManager.port=" + ports.get("day-job-blocks"));
        assertThat(allowedFrom(r, "spark-worker", "day-job-rpc"))
                .containsExactlyInAnyOrder("spark-master", "spark-worker");
    }

    private static Set<String> mountedFiles(Workload w) {
        Map<String, Volume> volumes =
                w.template().getSpec().getVolumes().stream().collect(Collectors.toMap(Volume::getName, v -> v));
        Set<String> files = new LinkedHashSet<>();
        for (VolumeMount m : main(w).getVolumeMounts()) {
            Volume v = volumes.get(m.getName());
            if (v.getSecret() != null) {
                v.getSecret()
                        .getItems()
                        .forEach(i -> files.add(m.getMountPath() + "/" + i.getPath() + " <- "
                                + baseName(v.getSecret().getSecretName()) + "/" + i.getKey()));
            }
        }
        return files;
    }

    /** The worker offers the streaming job's cores plus a day job's driver and capped executor, and their memory. */
    @ParameterizedTest
    @ValueSource(strings = {OVERLAY})
    void workerLeavesTheStreamingJobItsCoresWhileADayJobRuns(String overlay) {
        Rendered r = Rendered.of(overlay);
        Map<String, String> dayJobs = configMap(r, "airflow-day-jobs");
        int worker = Integer.parseInt(r.configValue("pipeline-config", "spark-worker-cores"));
        int streaming = Integer.parseInt(r.configValue("pipeline-config", "spark-cores-max"));
        assertThat(worker).isEqualTo(streaming + 1 + Integer.parseInt(dayJobs.get("DAYJOBS_CORES_MAX")));
        assertThat(mib(r.configValue("pipeline-config", "spark-worker-memory")))
                .isGreaterThanOrEqualTo(mib(r.configValue("pipeline-config", "spark-executor-memory"))
                        + mib(dayJobs.get("DAYJOBS_DRIVER_MEMORY"))
                        + mib(dayJobs.get("DAYJOBS_EXECUTOR_MEMORY")));
    }

    private static long mib(String size) {
        long n = Long.parseLong(size.replaceAll("[^0-9]", ""));
        return size.toLowerCase().endsWith("g") ? n * 1024 : n;
    }
}
