package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.deploy.code.QuarkusService;
import io.streamingpipeline.deploy.docker.Dockerfile;
import io.streamingpipeline.query.config.PasswordFileConfigSourceFactory;
import io.streamingpipeline.spark.health.HealthServer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compose's query-api service against the query service's compiled configuration, and against what the job writes:
 * its variables, the reader role and its password file, port, health, and the pipeline panel's endpoints.
 */
class ComposeQueryApiTest {

    static final String QUERY_API = "query-api";
    static final String QUERY_API_DOCKERFILE = "src/main/docker/Dockerfile.query-api";
    /** Consumed by the entrypoint, which writes it to the password file and removes it. */
    static final String PASSWORD_VARIABLE = "CASSANDRA_READER_PASSWORD";

    private static final QuarkusService SERVICE = QuarkusService.QUERY_API;
    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ExampleEnv.compose();
    }

    @Test
    void queryApiGetsCassandraAndItsKeyspaceByNamesItReads() {
        Set<String> readable = SERVICE.envNames();
        // sanity: the derivation finds application.properties' keys, QueryConfig's nested groups, the extension's keys
        assertThat(readable)
                .contains(
                        "QUARKUS_CASSANDRA_CONTACT_POINTS",
                        "QUARKUS_CASSANDRA_LOCAL_DATACENTER",
                        "QUARKUS_CASSANDRA_AUTH_USERNAME",
                        "QUARKUS_CASSANDRA_AUTH_PASSWORD",
                        "QUERY_CASSANDRA_PASSWORD_FILE",
                        "QUERY_KEYSPACE",
                        "QUERY_SYMBOLS",
                        "QUERY_TRADES_MAX_LIMIT",
                        "QUERY_PIPELINE_TIMEOUT",
                        "QUERY_PIPELINE_INGESTOR_HEALTH_URL",
                        "QUERY_PIPELINE_INGESTOR_METRICS_URL",
                        "QUERY_PIPELINE_JOB_HEALTH_URL",
                        "QUERY_PIPELINE_JOB_METRICS_URL",
                        "QUERY_PIPELINE_JOB_RATE_METRIC",
                        "QUARKUS_HTTP_PORT");
        assertThat(readable).doesNotContain("QUERY_PIPELINE_HEALTH_URL", "QUERY_INGESTOR_HEALTH_URL");

        Map<String, String> env = compose.environment(QUERY_API);
        assertThat(env)
                .containsEntry("QUERY_KEYSPACE", CassandraSchema.DEFAULT_KEYSPACE)
                .containsKeys(
                        "QUARKUS_CASSANDRA_CONTACT_POINTS",
                        "QUARKUS_CASSANDRA_LOCAL_DATACENTER",
                        "QUARKUS_CASSANDRA_AUTH_USERNAME",
                        "QUERY_SYMBOLS")
                .doesNotContainKey("QUARKUS_CASSANDRA_AUTH_PASSWORD");
    }

    /** Each variable Compose gives the query service is a test of its own: a misspelt one fails by name. */
    @TestFactory
    Stream<DynamicTest> eachVariableIsOneTheQueryApiReads() {
        Set<String> readable = SERVICE.envNames();
        Set<String> names = new TreeSet<>(compose.environment(QUERY_API).keySet());
        names.remove(PASSWORD_VARIABLE);
        return names.stream()
                .map(name -> dynamicTest(
                        "Compose sets " + name + " on the query service, which reads it",
                        () -> assertThat(readable).contains(name)));
    }

    /** Same node, data centre and keyspace as the job that writes the tables; the read-only role the roles script makes. */
    @Test
    void queryApiReadsWhatTheJobWritesAsTheReaderRole() {
        Map<String, String> env = compose.environment(QUERY_API);
        Map<String, String> job = ComposeJobCommand.jobOptions(compose, "spark-submit");
        String[] contactPoint = env.get("QUARKUS_CASSANDRA_CONTACT_POINTS").split(":");
        assertThat(contactPoint).as("host:port").hasSize(2);
        assertThat(contactPoint[0]).isEqualTo(job.get("cassandra-host"));
        assertThat(compose.services()).containsKey(contactPoint[0]);
        assertThat(Integer.parseInt(contactPoint[1])).isEqualTo(9042);
        assertThat(compose.containerPorts("cassandra")).contains(Integer.parseInt(contactPoint[1]));
        assertThat(env)
                .containsEntry("QUARKUS_CASSANDRA_LOCAL_DATACENTER", job.get("cassandra-local-dc"))
                .containsEntry("QUARKUS_CASSANDRA_AUTH_USERNAME", "pipeline_reader")
                .containsEntry("QUERY_KEYSPACE", job.get("keyspace"));
        assertThat(compose.environment("cassandra-roles"))
                .containsEntry("CASSANDRA_USERNAME", job.get("cassandra-username"))
                .containsEntry("CASSANDRA_READER_USERNAME", env.get("QUARKUS_CASSANDRA_AUTH_USERNAME"))
                .containsEntry("CASSANDRA_KEYSPACE", job.get("keyspace"));
        // the grants step gets the same names, and of the passwords only the superuser's
        Map<String, String> grants = new LinkedHashMap<>(compose.environment("cassandra-roles"));
        grants.keySet().removeAll(Set.of("CASSANDRA_PASSWORD", PASSWORD_VARIABLE));
        assertThat(compose.environment("cassandra-grants")).isEqualTo(grants);
        assertThat(compose.dependsOn(QUERY_API))
                .containsEntry("cassandra", "service_healthy")
                .containsEntry("cassandra-grants", "service_completed_successfully");
        assertThat(compose.dependsOn("cassandra-grants"))
                .containsEntry("cassandra-schema", "service_completed_successfully");
    }

    /**
     * As for the job: the entrypoint writes CASSANDRA_READER_PASSWORD to the file PasswordFileConfigSourceFactory
     * reads, then runs the image's own ENTRYPOINT without the variable.
     */
    @Test
    void queryApiPasswordReachesItThroughAFile() {
        Map<String, String> env = compose.environment(QUERY_API);
        String fileVariable = QuarkusService.envName(PasswordFileConfigSourceFactory.PASSWORD_FILE);
        assertThat(fileVariable).isEqualTo("QUERY_CASSANDRA_PASSWORD_FILE");
        String file = env.get(fileVariable);
        assertThat(file).as(fileVariable).isNotBlank();
        List<String> entrypoint = ComposeFile.strings(compose.service(QUERY_API).get("entrypoint"));
        assertThat(String.join(" ", entrypoint))
                .contains("\"$" + PASSWORD_VARIABLE + "\" > " + file)
                .contains("umask 077")
                .contains("exec env -u " + PASSWORD_VARIABLE + " \"$@\"");
        assertThat(env).containsKey(PASSWORD_VARIABLE).doesNotContainKey("CASSANDRA_PASSWORD");

        List<Dockerfile.Instruction> imageEntrypoint =
                Dockerfile.parse(Repo.read(QUERY_API_DOCKERFILE)).inFinalStage("ENTRYPOINT");
        assertThat(imageEntrypoint).as("ENTRYPOINT of " + QUERY_API_DOCKERFILE).hasSize(1);
        assertThat(imageEntrypoint.get(0).words()).as("exec form, one program").hasSize(1);
        assertThat(entrypoint.get(entrypoint.size() - 1))
                .as("what the wrapper runs")
                .isEqualTo(imageEntrypoint.get(0).words().get(0));
        assertThat(ComposeFile.strings(compose.service(QUERY_API).get("command")))
                .isEmpty();
    }

    /** The page offers the symbols the ingestor subscribes to, with either env file. */
    @Test
    void queryApiListsTheIngestorsSymbols() {
        for (Map<String, String> envFile :
                List.of(ExampleEnv.filledIn(), ComposeFile.readEnvFile(Repo.path(ExampleEnv.SIMULATOR_ENV)))) {
            ComposeFile file = ComposeFile.load(Repo.path(ExampleEnv.COMPOSE), envFile);
            assertThat(file.environment(QUERY_API).get("QUERY_SYMBOLS"))
                    .as(envFile.get("COMPOSE_PROJECT_NAME"))
                    .isNotBlank()
                    .isEqualTo(file.environment("ingestor").get("FINNHUB_SYMBOLS"));
        }
        // and without any env file, the defaults agree too
        ComposeFile defaults = ComposeFile.load(
                Repo.path(ExampleEnv.COMPOSE),
                Map.of("CASSANDRA_PASSWORD", "x", "CASSANDRA_ADMIN_PASSWORD", "y", PASSWORD_VARIABLE, "z"));
        assertThat(defaults.environment(QUERY_API).get("QUERY_SYMBOLS"))
                .isEqualTo(defaults.environment("ingestor").get("FINNHUB_SYMBOLS"));
    }

    @Test
    void queryApiPortHealthcheckAndImageAreQuarkus() {
        int port = SERVICE.httpPort();
        assertThat(port).isEqualTo(8080);
        SERVICE.assertDefaultHealthPaths();
        assertThat(compose.environment(QUERY_API).get("QUARKUS_HTTP_PORT")).isEqualTo(String.valueOf(port));
        assertThat(compose.containerPorts(QUERY_API)).containsExactly(port);
        assertThat(compose.healthcheck(QUERY_API)).contains("http://localhost:" + port + "/q/health/ready");
        Dockerfile dockerfile = Dockerfile.parse(Repo.read(QUERY_API_DOCKERFILE));
        assertThat(dockerfile.inFinalStage("EXPOSE"))
                .extracting(Dockerfile.Instruction::arguments)
                .containsExactly(String.valueOf(port));
        assertThat(dockerfile.all("COPY"))
                .extracting(i -> i.words().get(0))
                .anyMatch(source -> source.startsWith("query-api/target/quarkus-app/"));
        assertThat(ComposeFile.castMap(compose.service(QUERY_API).get("build")).get("dockerfile"))
                .isEqualTo(QUERY_API_DOCKERFILE);
        // published on the host port of QUERY_API_PORT (default 8081, as ./pipeline run)
        assertThat(ComposeFile.strings(compose.service(QUERY_API).get("ports")))
                .containsExactly("127.0.0.1:"
                        + ComposeFile.readEnvFile(Repo.path(ExampleEnv.FILE)).get("QUERY_API_PORT") + ":" + port);
        assertThat(Repo.read(ExampleEnv.COMPOSE)).contains("${QUERY_API_PORT:-8081}:" + port);
    }

    /** The page's pipeline panel reads the ingestor's and the job's own health and metrics endpoints. */
    @Test
    void queryApiPipelineUrlsAreTheIngestorsAndTheJobsEndpoints() {
        Map<String, String> env = compose.environment(QUERY_API);
        QuarkusService ingestorService = QuarkusService.INGESTOR;
        String ingestor = "http://ingestor:" + ingestorService.httpPort();
        ingestorService.assertDefaultHealthPaths();
        assertThat(env)
                .containsEntry("QUERY_PIPELINE_INGESTOR_HEALTH_URL", ingestor + "/q/health/ready")
                .containsEntry("QUERY_PIPELINE_INGESTOR_METRICS_URL", ingestor + ingestorService.metricsPath());
        assertThat(compose.containerPorts("ingestor")).contains(ingestorService.httpPort());

        String healthPort =
                ComposeJobCommand.jobOptions(compose, "spark-submit").get("health-port");
        String job = "http://spark-submit:" + healthPort;
        assertThat(env)
                .containsEntry("QUERY_PIPELINE_JOB_HEALTH_URL", job + HealthServer.READY)
                .containsEntry("QUERY_PIPELINE_JOB_METRICS_URL", job + HealthServer.METRICS);
        for (String variable : List.of(
                "QUERY_PIPELINE_INGESTOR_HEALTH_URL",
                "QUERY_PIPELINE_INGESTOR_METRICS_URL",
                "QUERY_PIPELINE_JOB_HEALTH_URL",
                "QUERY_PIPELINE_JOB_METRICS_URL")) {
            assertThat(compose.services())
                    .as(variable)
                    .containsKey(URI.create(env.get(variable)).getHost());
        }
        // the panel shows a component that is down: it does not wait for them
        assertThat(compose.dependsOn(QUERY_API)).doesNotContainKeys("ingestor", "spark-submit");
    }
}
