package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.deploy.code.Pom;
import io.streamingpipeline.deploy.docker.Dockerfile;
import io.streamingpipeline.spark.batch.DayJobsMain;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The profile "airflow" of compose/compose.yaml: Postgres 16 and Airflow 3 laid out as Airflow's own Compose file
 * does, the day jobs' settings equal to what the DAGs read and to the rest of the file, secrets only from the env
 * file, and the Spark master's REST endpoint (no authentication) never published.
 */
class AirflowComposeTest {

    static final List<String> AIRFLOW =
            List.of("airflow-init", "airflow-api-server", "airflow-scheduler", "airflow-dag-processor");
    static final List<String> PROFILE =
            List.of("postgres", "airflow-init", "airflow-api-server", "airflow-scheduler", "airflow-dag-processor");
    static final Pattern SECRET = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|SQL_ALCHEMY_CONN).*");

    private static ComposeFile compose;
    private static Map<String, Object> raw;

    @BeforeAll
    static void load() {
        compose = ComposeFile.load(Repo.path(ExampleEnv.COMPOSE), ExampleEnv.filledIn());
        raw = ComposeFile.castMap(
                ComposeFile.parse(Repo.read(ExampleEnv.COMPOSE)).get("services"));
    }

    private static Map<String, String> rawEnvironment(String service) {
        Map<String, Object> env =
                ComposeFile.castMap(ComposeFile.castMap(raw.get(service)).get("environment"));
        Map<String, String> result = new java.util.LinkedHashMap<>();
        env.forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }

    @Test
    void postgresAndAirflowRunOnlyWithTheProfile() {
        for (String service : PROFILE) {
            assertThat(ComposeFile.strings(compose.service(service).get("profiles")))
                    .as(service)
                    .containsExactly("airflow");
        }
        // and the pipeline starts without any of their variables (Compose interpolates inactive services too)
        ComposeFile.load(
                Repo.path(ExampleEnv.COMPOSE),
                Map.of("CASSANDRA_PASSWORD", "x", "CASSANDRA_ADMIN_PASSWORD", "y", "CASSANDRA_READER_PASSWORD", "z"));
    }

    /** The class the DAGs submit (day_job.py) is the compiled day jobs' main class. */
    @Test
    void dagsSubmitTheDayJobsMainClass() {
        assertThat(AirflowFacts.mainClass()).isEqualTo(DayJobsMain.class.getName());
    }

    @Test
    void imagesArePinnedPostgres16AndAirflow3() {
        assertThat(String.valueOf(compose.service("postgres").get("image"))).matches("postgres:16\\.\\d+");
        // the Postgres the day jobs are tested on (local-stack's embedded binaries, 16.x.0), once the local stack has
        // one
        String binaries = Pom.of("local-stack/pom.xml").property("postgres-binaries.version");
        assertThat(binaries).matches("16\\.\\d+\\.0");
        assertThat(compose.service("postgres").get("image"))
                .isEqualTo("postgres:" + binaries.substring(0, binaries.length() - ".0".length()));
        assertThat(AirflowFacts.airflowBaseImage()).matches("apache/airflow:3\\.\\d+\\.\\d+");
        String version = Pom.imageTag();
        for (String service : AIRFLOW) {
            assertThat(compose.service(service).get("image"))
                    .as(service)
                    .isEqualTo("finnhub-pipeline/airflow:" + version);
        }
        assertThat(ComposeFile.castMap(compose.service("airflow-init").get("build"))
                        .get("dockerfile"))
                .isEqualTo(AirflowFacts.DOCKERFILE);
        assertThat(Repo.read(AirflowFacts.DOCKERFILE))
                .contains("COPY airflow/target/dags/ /opt/airflow/dags/")
                .doesNotContainPattern("(?m)^RUN ")
                .doesNotContain("pip ")
                .doesNotContain("_PIP_ADDITIONAL_REQUIREMENTS");
        for (String service : PROFILE) {
            assertThat(compose.environment(service)).as(service).doesNotContainKey("_PIP_ADDITIONAL_REQUIREMENTS");
        }
    }

    @Test
    void airflow3ServicesWithLocalExecutorTheExecutionApiAndOneJwtSecret() {
        assertThat(compose.command("airflow-api-server")).containsExactly("api-server");
        assertThat(compose.command("airflow-scheduler")).containsExactly("scheduler");
        assertThat(compose.command("airflow-dag-processor")).containsExactly("dag-processor");
        String jwt = rawEnvironment("airflow-init").get("AIRFLOW__API_AUTH__JWT_SECRET");
        assertThat(jwt).isEqualTo("${AIRFLOW_JWT_SECRET:-}");
        for (String service : AIRFLOW) {
            Map<String, String> env = compose.environment(service);
            assertThat(env)
                    .as(service)
                    .containsEntry("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
                    .containsEntry(
                            "AIRFLOW__CORE__AUTH_MANAGER",
                            "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager")
                    .containsEntry(
                            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "http://airflow-api-server:8080/execution/")
                    .containsEntry("AIRFLOW__CORE__LOAD_EXAMPLES", "false");
            assertThat(rawEnvironment(service)).as(service).containsEntry("AIRFLOW__API_AUTH__JWT_SECRET", jwt);
            if (!service.equals("airflow-init")) {
                assertThat(compose.dependsOn(service))
                        .as(service)
                        .containsEntry("airflow-init", "service_completed_successfully");
                assertThat(env)
                        .as(service + ": the admin password is airflow-init's only")
                        .doesNotContainKeys("AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_ADMIN_USERNAME");
            }
        }
        assertThat(compose.dependsOn("airflow-init")).containsEntry("postgres", "service_healthy");
        assertThat(compose.containerPorts("airflow-api-server")).containsExactly(8080);
        assertThat(compose.healthcheck("airflow-api-server")).contains("http://localhost:8080/api/v2/version");
        assertThat(compose.healthcheck("airflow-scheduler")).contains("http://localhost:8974/health");
        assertThat(compose.environment("airflow-scheduler"))
                .containsEntry("AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK", "true");
        assertThat(compose.healthcheck("airflow-dag-processor"))
                .contains("airflow jobs check --job-type DagProcessorJob");
        assertThat(compose.environment("airflow-init").get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"))
                .startsWith("postgresql+psycopg2://airflow:")
                .endsWith("@postgres:5432/airflow");
        assertThat(AirflowFacts.createdDatabases()).containsExactlyInAnyOrder("airflow", "pipeline_ops");
        assertThat(AirflowFacts.createdRoles()).containsExactlyInAnyOrder("airflow", "pipeline_ops");
    }

    /** Passwords and the JWT secret come from the env file (interpolated), never as literals or on a command line. */
    @Test
    void secretsComeOnlyFromTheEnvFile() {
        for (String service : PROFILE) {
            rawEnvironment(service).forEach((name, value) -> {
                if (SECRET.matcher(name).matches() && !name.endsWith("_FILE")) {
                    assertThat(value).as(service + " " + name).containsPattern("\\$\\{[A-Z_]+:-}");
                    assertThat(value.replaceAll("\\$\\{[A-Z_]+:-}", ""))
                            .as(service + " " + name)
                            .doesNotContainPattern("(?i)password|secret|change-me|demo");
                }
            });
            String command = String.join(" ", compose.command(service)) + " "
                    + String.join(
                            " ", ComposeFile.strings(compose.service(service).get("entrypoint")));
            assertThat(command).as(service).doesNotContain("--password").doesNotContain("change-me");
        }
        // the admin password reaches `airflow users create` on stdin
        assertThat(String.join(" ", compose.command("airflow-init")))
                .containsPattern(
                        "printf '%s\\\\n%s\\\\n' \"\\$AIRFLOW_ADMIN_PASSWORD\" \"\\$AIRFLOW_ADMIN_PASSWORD\" \\|\\s+airflow users create");
        // the init script passes the role passwords to psql through \getenv, not its arguments
        String init = Repo.read(AirflowFacts.POSTGRES_INIT);
        assertThat(init)
                .contains(
                        "\\getenv airflow_password AIRFLOW_DB_PASSWORD", "\\getenv ops_password PIPELINE_OPS_PASSWORD")
                .doesNotContain("--set")
                .doesNotContain("-v airflow")
                .doesNotContainPattern("psql[^\\n]*PASSWORD");
        assertThat(compose.volumes("postgres"))
                .containsEntry(
                        "/docker-entrypoint-initdb.d/10-create-databases.sh", "../" + AirflowFacts.POSTGRES_INIT);
        assertThat(compose.environment("postgres"))
                .containsKeys("POSTGRES_PASSWORD", "AIRFLOW_DB_PASSWORD", "PIPELINE_OPS_PASSWORD");
        // each missing secret stops airflow-init with its name
        String initCommand = String.join(" ", compose.command("airflow-init"));
        for (String variable : List.of("AIRFLOW_JWT_SECRET", "AIRFLOW_ADMIN_PASSWORD", "AIRFLOW_DB_PASSWORD")) {
            assertThat(initCommand).contains("missing=\"$missing " + variable + "\"");
        }
        Set<String> documented = ComposeFile.documentedVariables(Repo.path(ExampleEnv.FILE));
        assertThat(documented)
                .contains(
                        "POSTGRES_ADMIN_PASSWORD",
                        "AIRFLOW_DB_PASSWORD",
                        "PIPELINE_OPS_PASSWORD",
                        "AIRFLOW_JWT_SECRET",
                        "AIRFLOW_ADMIN_PASSWORD",
                        "SPARK_MASTER_REST_ENABLED");
    }

    /** The REST endpoint has no authentication: on with the profile only, and no service publishes its port. */
    @Test
    void restSubmissionPortIsNeverPublished() {
        compose.services()
                .keySet()
                .forEach(service ->
                        assertThat(compose.containerPorts(service)).as(service).doesNotContain(AirflowFacts.REST_PORT));
        assertThat(Repo.read(ExampleEnv.COMPOSE)).doesNotContain(":" + AirflowFacts.REST_PORT + "\"");
        assertThat(compose.environment("spark-master").get("SPARK_MASTER_OPTS"))
                .isEqualTo("-Dspark.master.rest.enabled=false -Dspark.master.rest.port=" + AirflowFacts.REST_PORT);
        assertThat(rawEnvironment("spark-master").get("SPARK_MASTER_OPTS"))
                .contains("${SPARK_MASTER_REST_ENABLED:-false}");
        assertThat(ComposeFile.readEnvFile(Repo.path(ExampleEnv.FILE)))
                .containsEntry("SPARK_MASTER_REST_ENABLED", "false");
        assertThat(ComposeFile.readEnvFile(Repo.path(ExampleEnv.SIMULATOR_ENV)))
                .containsEntry("SPARK_MASTER_REST_ENABLED", "true");
        URI rest = URI.create(compose.environment("airflow-scheduler").get("SPARK_MASTER_REST_URL"));
        assertThat(rest.getHost()).isEqualTo("spark-master");
        assertThat(rest.getPort()).isEqualTo(AirflowFacts.REST_PORT);
    }

    /** The scheduler (LocalExecutor: the tasks run there) sets exactly what dags/dayjobs/settings.py reads. */
    @Test
    void dayJobSettingsAreWhatTheDagsReadAndAgreeWithTheRestOfTheFile() {
        Map<String, String> env = compose.environment("airflow-scheduler");
        Set<String> names = AirflowFacts.dayJobEnvNames();
        assertThat(names).contains("SPARK_MASTER_REST_URL", "DAYJOBS_JAR", "DAYJOBS_OPS_JDBC_URL", "DAYJOBS_CORES_MAX");
        Set<String> dayJobVariables = new java.util.TreeSet<>(env.keySet());
        dayJobVariables.removeIf(n -> n.startsWith("AIRFLOW"));
        assertThat(dayJobVariables).containsExactlyInAnyOrderElementsOf(names);
        for (String service : List.of("airflow-api-server", "airflow-dag-processor", "airflow-init")) {
            assertThat(compose.environment(service)).as(service).doesNotContainKeys(names.toArray(String[]::new));
        }

        Map<String, String> streaming = jobOptions(compose.command("spark-submit"));
        assertThat(env.get("DAYJOBS_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(streaming.get("--bootstrap-servers"));
        assertThat(env.get("DAYJOBS_CASSANDRA_HOST")).isEqualTo(streaming.get("--cassandra-host"));
        assertThat(env.get("DAYJOBS_CASSANDRA_LOCAL_DC")).isEqualTo(streaming.get("--cassandra-local-dc"));
        assertThat(env.get("DAYJOBS_CASSANDRA_USERNAME")).isEqualTo(streaming.get("--cassandra-username"));
        // the jar: where the Spark image puts it, which is where the worker (running the driver) finds it
        List<String> jarCopy =
                Dockerfile.parse(Repo.read(ComposeImagesTest.SPARK_DOCKERFILE)).inFinalStage("COPY").stream()
                        .map(Dockerfile.Instruction::words)
                        .filter(words -> words.size() == 2 && words.get(0).endsWith(".jar"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no job jar in " + ComposeImagesTest.SPARK_DOCKERFILE));
        assertThat(env.get("DAYJOBS_JAR")).isEqualTo("file:" + jarCopy.get(1));
        // the password files are the ones the worker's entrypoint writes
        String worker = String.join(
                " ", ComposeFile.strings(compose.service("spark-worker").get("entrypoint")));
        assertThat(worker)
                .contains("\"$CASSANDRA_PASSWORD\" > " + env.get("DAYJOBS_CASSANDRA_PASSWORD_FILE"))
                .contains("\"$PIPELINE_OPS_PASSWORD\" > " + env.get("DAYJOBS_OPS_PASSWORD_FILE"))
                .contains("umask 077")
                .contains("exec env -u CASSANDRA_PASSWORD -u PIPELINE_OPS_PASSWORD /opt/entrypoint.sh \"$@\"");
        // the results database and role are the ones Postgres' init script creates
        URI jdbc = URI.create(env.get("DAYJOBS_OPS_JDBC_URL").substring("jdbc:".length()));
        assertThat(jdbc.getHost()).isEqualTo("postgres");
        assertThat(jdbc.getPort()).isEqualTo(5432);
        assertThat(AirflowFacts.createdDatabases()).contains(jdbc.getPath().substring(1));
        assertThat(AirflowFacts.createdRoles()).contains(env.get("DAYJOBS_OPS_USER"));
        assertThat(jdbc.getPath()).isEqualTo("/pipeline_ops");
    }

    /** The worker offers the streaming job's cores plus a day job's driver and capped executor, and their memory. */
    @Test
    void workerLeavesTheStreamingJobItsCoresWhileADayJobRuns() {
        Map<String, String> worker = jobOptions(compose.command("spark-worker"));
        Map<String, String> streaming = jobOptions(compose.command("spark-submit"));
        Map<String, String> env = compose.environment("airflow-scheduler");
        int dayJobCores = 1 + Integer.parseInt(env.get("DAYJOBS_CORES_MAX"));
        assertThat(Integer.parseInt(worker.get("--cores")))
                .isEqualTo(Integer.parseInt(streaming.get("--total-executor-cores")) + dayJobCores);
        assertThat(mib(worker.get("--memory")))
                .isGreaterThanOrEqualTo(mib(streaming.get("--executor-memory"))
                        + mib(env.get("DAYJOBS_DRIVER_MEMORY"))
                        + mib(env.get("DAYJOBS_EXECUTOR_MEMORY")));
    }

    private static Map<String, String> jobOptions(List<String> command) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < command.size(); i++) {
            if (command.get(i).startsWith("--")) {
                options.putIfAbsent(command.get(i), command.get(i + 1));
            }
        }
        return options;
    }

    private static long mib(String size) {
        long n = Long.parseLong(size.replaceAll("[^0-9]", ""));
        return size.toLowerCase().endsWith("g") ? n * 1024 : n;
    }
}
