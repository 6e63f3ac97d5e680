package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.TradeContract;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * compose/compose.yaml against the code: a rename or a new default in the code that Compose does not follow fails
 * here. The file is read as Compose reads it, interpolated with compose/.env.example whose empty passwords are filled
 * in, as a user does ({@link ExampleEnv#filledIn()}).
 */
class ComposeConsistencyTest {

    static final String COMPOSE = "compose/compose.yaml";
    static final String ENV_EXAMPLE = "compose/.env.example";
    static final String SIMULATOR_ENV = "compose/simulator.env";
    static final String JOB_CLASS = "io.streamingpipeline.spark.TradesToCassandraJob";
    static final String SPARK_DOCKERFILE = "src/main/docker/Dockerfile.spark-job";
    static final String QUERY_API = "query-api";
    static final String QUERY_API_DOCKERFILE = "src/main/docker/Dockerfile.query-api";

    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ComposeFile.load(Repo.path(COMPOSE), ExampleEnv.filledIn());
    }

    // ------------------------------------------------------------------ images, builds, files

    @Test
    void buildContextsAndDockerfilesExist() {
        compose.services().forEach((name, value) -> {
            Object build = ComposeFile.castMap(value).get("build");
            if (build == null) {
                return;
            }
            Map<String, Object> spec = ComposeFile.castMap(build);
            Path context = Repo.path("compose")
                    .resolve(String.valueOf(spec.get("context")))
                    .normalize();
            assertThat(context).as(name + " build context").isEqualTo(Repo.root());
            assertThat(context.resolve(String.valueOf(spec.get("dockerfile"))))
                    .as(name + " dockerfile")
                    .isRegularFile();
        });
    }

    @Test
    void everyServiceHasAPinnedImage() {
        compose.services().forEach((name, value) -> {
            String image = String.valueOf(ComposeFile.castMap(value).get("image"));
            assertThat(image)
                    .as(name + " image")
                    .matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+")
                    .doesNotEndWith(":latest");
        });
    }

    /**
     * The images this repository builds are {@code finnhub-pipeline/<name>:<project version without -SNAPSHOT>}, the
     * name being the Dockerfile's ({@code Dockerfile.<name>}, or {@code Dockerfile.<name>.jvm}).
     */
    @Test
    void builtImagesAreNamedAfterTheirDockerfile() {
        String version = CodeFacts.pomProperty("pom.xml", "version").replace("-SNAPSHOT", "");
        Set<String> built = new TreeSet<>();
        compose.services().forEach((name, value) -> {
            Map<String, Object> service = ComposeFile.castMap(value);
            if (service.get("build") == null) {
                return;
            }
            String dockerfile = Path.of(String.valueOf(
                            ComposeFile.castMap(service.get("build")).get("dockerfile")))
                    .getFileName()
                    .toString();
            assertThat(dockerfile).as(name + " dockerfile").startsWith("Dockerfile.");
            String image = "finnhub-pipeline/"
                    + dockerfile.substring("Dockerfile.".length()).replaceFirst("\\.jvm$", "") + ":" + version;
            assertThat(service.get("image")).as(name + " image").isEqualTo(image);
            built.add(image);
        });
        assertThat(built).contains("finnhub-pipeline/query-api:" + version, "finnhub-pipeline/ingestor:" + version);
    }

    @Test
    void imageVersionsMatchTheBuild() {
        assertThat(compose.service("kafka").get("image"))
                .isEqualTo("apache/kafka:" + CodeFacts.pomProperty("pom.xml", "kafka.version"));
        assertThat(compose.service("kafka-topics").get("image"))
                .isEqualTo(compose.service("kafka").get("image"));
        assertThat(compose.service("cassandra").get("image"))
                .isEqualTo("cassandra:"
                        + CodeFacts.pomProperty("local-stack/engines/cassandra/pom.xml", "cassandra.engine.version"));
        assertThat(Repo.read(SPARK_DOCKERFILE))
                .contains("FROM apache/spark:"
                        + CodeFacts.pomProperty("spark-streaming/pom.xml", "spark.version") + "-scala"
                        + CodeFacts.pomProperty("spark-streaming/pom.xml", "scala.binary.version") + "-java17-ubuntu");
    }

    @Test
    void mountedFilesExist() {
        compose.services()
                .keySet()
                .forEach(name -> compose.volumes(name).forEach((target, source) -> {
                    if (source.startsWith(".")) {
                        assertThat(Repo.path("compose").resolve(source).normalize())
                                .as(name + " mounts " + source)
                                .isRegularFile();
                    } else {
                        assertThat(ComposeFile.castMap(compose.model().get("volumes")))
                                .as(name + " named volume")
                                .containsKey(source);
                    }
                }));
    }

    // ------------------------------------------------------------------ Kafka topics

    @Test
    void topicsAreTheContractsWithTheLocalStacksPartitions() {
        String command = String.join(" ", compose.command("kafka-topics"));
        Map<String, Integer> created = new LinkedHashMap<>();
        Matcher m = Pattern.compile(
                        "--create --if-not-exists\\s+--topic (\\S+) --partitions (\\d+) --replication-factor 1")
                .matcher(command.replaceAll("\\s+", " "));
        while (m.find()) {
            created.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        Map<String, Integer> localStack = CodeFacts.localStackTopicPartitions();
        assertThat(created)
                .containsExactly(
                        Map.entry(TradeContract.TRADES_TOPIC, localStack.get("TRADES_TOPIC")),
                        Map.entry(TradeContract.DEAD_LETTER_TOPIC, localStack.get("DEAD_LETTER_TOPIC")));
        assertThat(localStack).containsEntry("TRADES_TOPIC", 3).containsEntry("DEAD_LETTER_TOPIC", 1);
    }

    // ------------------------------------------------------------------ ingestor

    @Test
    void ingestorEnvironmentUsesOnlyNamesTheIngestorReads() {
        Set<String> readable = CodeFacts.ingestorEnvNames();
        // sanity: the derivation finds the mapping's keys, nested groups and @ConfigProperty names
        assertThat(readable)
                .contains(
                        "FINNHUB_URL",
                        "FINNHUB_TOKEN",
                        "FINNHUB_TOKEN_FILE",
                        "FINNHUB_SYMBOLS",
                        "FINNHUB_RECONNECT_INITIAL_BACKOFF",
                        "FINNHUB_WATCHDOG_IDLE_TIMEOUT",
                        "FINNHUB_MAX_MESSAGE_BYTES",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "TRADES_TOPIC",
                        "TRADES_DLQ_TOPIC",
                        "QUARKUS_HTTP_PORT",
                        "INGESTOR_SHUTDOWN_FLUSH_TIMEOUT",
                        "INGESTOR_HEALTH_MAX_ACK_DELAY");
        assertThat(readable)
                .contains(
                        TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS,
                        TradeContract.Env.TRADES_TOPIC,
                        TradeContract.Env.DEAD_LETTER_TOPIC,
                        TradeContract.Env.FINNHUB_TOKEN,
                        TradeContract.Env.FINNHUB_TOKEN_FILE);

        Map<String, String> env = compose.environment("ingestor");
        assertThat(env.keySet()).isSubsetOf(readable);
        assertThat(env)
                .containsEntry(TradeContract.Env.TRADES_TOPIC, TradeContract.TRADES_TOPIC)
                .containsEntry(TradeContract.Env.DEAD_LETTER_TOPIC, TradeContract.DEAD_LETTER_TOPIC)
                .containsEntry(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, "kafka:9092")
                .containsKey(TradeContract.Env.FINNHUB_TOKEN);
    }

    @Test
    void ingestorPortAndHealthcheckAreQuarkus() {
        int port = CodeFacts.ingestorHttpPort();
        assertThat(port).isEqualTo(8080);
        Map<String, String> env = compose.environment("ingestor");
        assertThat(env.get("QUARKUS_HTTP_PORT")).isEqualTo(String.valueOf(port));
        assertThat(compose.containerPorts("ingestor")).containsExactly(port);
        // /q/health/ready = smallrye-health's default root under Quarkus' default non-application root
        assertThat(CodeFacts.ingestorProperties().stringPropertyNames())
                .noneMatch(k -> k.endsWith("quarkus.http.non-application-root-path")
                        || k.endsWith("quarkus.smallrye-health.root-path")
                        || k.endsWith("quarkus.smallrye-health.readiness-path"));
        assertThat(Repo.read("ingestor/pom.xml")).contains("<artifactId>quarkus-smallrye-health</artifactId>");
        assertThat(compose.healthcheck("ingestor")).contains("http://localhost:" + port + "/q/health/ready");
    }

    @Test
    void ingestorWaitsForTheTopics() {
        assertThat(compose.dependsOn("ingestor")).containsEntry("kafka-topics", "service_completed_successfully");
    }

    // ------------------------------------------------------------------ query service

    @Test
    void queryApiEnvironmentUsesOnlyNamesTheQueryApiReads() {
        Set<String> readable = CodeFacts.queryApiEnvNames();
        // sanity: the derivation finds application.properties' keys, QueryConfig's nested groups, documented keys
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
        Set<String> names = new TreeSet<>(env.keySet());
        // consumed by the entrypoint, which writes it to the password file and removes it (next test)
        names.remove("CASSANDRA_READER_PASSWORD");
        assertThat(names).isSubsetOf(readable);
        assertThat(env)
                .containsEntry("QUERY_KEYSPACE", CassandraSchema.DEFAULT_KEYSPACE)
                .containsKeys(
                        "QUARKUS_CASSANDRA_CONTACT_POINTS",
                        "QUARKUS_CASSANDRA_LOCAL_DATACENTER",
                        "QUARKUS_CASSANDRA_AUTH_USERNAME",
                        "QUERY_SYMBOLS")
                .doesNotContainKey("QUARKUS_CASSANDRA_AUTH_PASSWORD");
    }

    /** Same node, data centre and keyspace as the job that writes the tables; the read-only role the roles script makes. */
    @Test
    void queryApiReadsWhatTheJobWritesAsTheReaderRole() {
        Map<String, String> env = compose.environment(QUERY_API);
        Map<String, String> job = options(jobArguments("spark-submit"));
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
        grants.keySet().removeAll(Set.of("CASSANDRA_PASSWORD", "CASSANDRA_READER_PASSWORD"));
        assertThat(compose.environment("cassandra-grants")).isEqualTo(grants);
        assertThat(compose.dependsOn(QUERY_API))
                .containsEntry("cassandra", "service_healthy")
                .containsEntry("cassandra-grants", "service_completed_successfully");
        assertThat(compose.dependsOn("cassandra-grants"))
                .containsEntry("cassandra-schema", "service_completed_successfully");
    }

    /**
     * As for the job: the entrypoint writes CASSANDRA_PASSWORD to the file PasswordFileConfigSourceFactory reads, then
     * runs the image's own ENTRYPOINT without the variable.
     */
    @Test
    void queryApiPasswordReachesItThroughAFile() {
        Map<String, String> env = compose.environment(QUERY_API);
        String fileVariable = CodeFacts.envName(CodeFacts.queryApiPasswordFileKey());
        assertThat(fileVariable).isEqualTo("QUERY_CASSANDRA_PASSWORD_FILE");
        String file = env.get(fileVariable);
        assertThat(file).as(fileVariable).isNotBlank();
        List<String> entrypoint = ComposeFile.strings(compose.service(QUERY_API).get("entrypoint"));
        assertThat(String.join(" ", entrypoint))
                .contains("\"$CASSANDRA_READER_PASSWORD\" > " + file)
                .contains("umask 077")
                .contains("exec env -u CASSANDRA_READER_PASSWORD \"$@\"");
        assertThat(env).containsKey("CASSANDRA_READER_PASSWORD").doesNotContainKey("CASSANDRA_PASSWORD");

        Matcher imageEntrypoint =
                Pattern.compile("(?m)^ENTRYPOINT \\[ \"([^\"]+)\" ]$").matcher(Repo.read(QUERY_API_DOCKERFILE));
        assertThat(imageEntrypoint.find())
                .as("ENTRYPOINT of " + QUERY_API_DOCKERFILE)
                .isTrue();
        assertThat(entrypoint.get(entrypoint.size() - 1))
                .as("what the wrapper runs")
                .isEqualTo(imageEntrypoint.group(1));
        assertThat(ComposeFile.strings(compose.service(QUERY_API).get("command")))
                .isEmpty();
    }

    /** The page offers the symbols the ingestor subscribes to, with either env file. */
    @Test
    void queryApiListsTheIngestorsSymbols() {
        for (Map<String, String> envFile :
                List.of(ExampleEnv.filledIn(), ComposeFile.readEnvFile(Repo.path(SIMULATOR_ENV)))) {
            ComposeFile file = ComposeFile.load(Repo.path(COMPOSE), envFile);
            assertThat(file.environment(QUERY_API).get("QUERY_SYMBOLS"))
                    .as(envFile.get("COMPOSE_PROJECT_NAME"))
                    .isNotBlank()
                    .isEqualTo(file.environment("ingestor").get("FINNHUB_SYMBOLS"));
        }
        // and without any env file, the defaults agree too
        ComposeFile defaults = ComposeFile.load(
                Repo.path(COMPOSE),
                Map.of("CASSANDRA_PASSWORD", "x", "CASSANDRA_ADMIN_PASSWORD", "y", "CASSANDRA_READER_PASSWORD", "z"));
        assertThat(defaults.environment(QUERY_API).get("QUERY_SYMBOLS"))
                .isEqualTo(defaults.environment("ingestor").get("FINNHUB_SYMBOLS"));
    }

    @Test
    void queryApiPortHealthcheckAndImageAreQuarkus() {
        int port = CodeFacts.queryApiHttpPort();
        assertThat(port).isEqualTo(8080);
        CodeFacts.assertDefaultHealthPaths(QUERY_API);
        assertThat(compose.environment(QUERY_API).get("QUARKUS_HTTP_PORT")).isEqualTo(String.valueOf(port));
        assertThat(compose.containerPorts(QUERY_API)).containsExactly(port);
        assertThat(compose.healthcheck(QUERY_API)).contains("http://localhost:" + port + "/q/health/ready");
        assertThat(Repo.read(QUERY_API_DOCKERFILE))
                .containsPattern("(?m)^EXPOSE " + port + "$")
                .contains("COPY query-api/target/quarkus-app/");
        assertThat(ComposeFile.castMap(compose.service(QUERY_API).get("build")).get("dockerfile"))
                .isEqualTo(QUERY_API_DOCKERFILE);
        // published on the host port of QUERY_API_PORT (default 8081, as ./pipeline run)
        assertThat(ComposeFile.strings(compose.service(QUERY_API).get("ports")))
                .containsExactly("127.0.0.1:"
                        + ComposeFile.readEnvFile(Repo.path(ENV_EXAMPLE)).get("QUERY_API_PORT") + ":" + port);
        assertThat(Repo.read(COMPOSE)).contains("${QUERY_API_PORT:-8081}:" + port);
    }

    /** The page's pipeline panel reads the ingestor's and the job's own health and metrics endpoints. */
    @Test
    void queryApiPipelineUrlsAreTheIngestorsAndTheJobsEndpoints() {
        Map<String, String> env = compose.environment(QUERY_API);
        String ingestor = "http://ingestor:" + CodeFacts.ingestorHttpPort();
        CodeFacts.assertDefaultHealthPaths("ingestor");
        assertThat(env)
                .containsEntry("QUERY_PIPELINE_INGESTOR_HEALTH_URL", ingestor + "/q/health/ready")
                .containsEntry("QUERY_PIPELINE_INGESTOR_METRICS_URL", ingestor + CodeFacts.metricsPath("ingestor"));
        assertThat(compose.containerPorts("ingestor")).contains(CodeFacts.ingestorHttpPort());

        String healthPort = options(jobArguments("spark-submit")).get("health-port");
        String job = "http://spark-submit:" + healthPort;
        assertThat(env)
                .containsEntry("QUERY_PIPELINE_JOB_HEALTH_URL", job + CodeFacts.jobHealthPath("READY"))
                .containsEntry("QUERY_PIPELINE_JOB_METRICS_URL", job + CodeFacts.jobHealthPath("METRICS"));
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

    // ------------------------------------------------------------------ Spark job

    /** The arguments after the job jar (the job's own options), and the jar path. */
    private static List<String> jobArguments(String service) {
        List<String> command = compose.command(service);
        int jar = indexOfJar(command);
        return command.subList(jar + 1, command.size());
    }

    private static int indexOfJar(List<String> command) {
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).endsWith(".jar")) {
                return i;
            }
        }
        throw new AssertionError("no job jar in " + command);
    }

    /** {@code --name value} pairs (flags without a value map to "true"). */
    private static Map<String, String> options(List<String> arguments) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            assertThat(arg).as("job argument").startsWith("--");
            boolean hasValue = i + 1 < arguments.size() && !arguments.get(i + 1).startsWith("--");
            options.put(arg.substring(2), hasValue ? arguments.get(++i) : "true");
        }
        return options;
    }

    @Test
    void jobOptionsExistInJobSettings() {
        Map<String, String> known = CodeFacts.jobOptions();
        assertThat(known)
                .containsKeys(
                        "bootstrap-servers",
                        "checkpoint-location",
                        "health-port",
                        "apply-schema",
                        "cassandra-password-file",
                        "kafka-option");
        for (String service : List.of("spark-submit", "cassandra-schema")) {
            assertThat(options(jobArguments(service)).keySet()).as(service).isSubsetOf(known.keySet());
        }
    }

    @Test
    void jobRunsWithTheContractsNames() {
        Map<String, String> run = options(jobArguments("spark-submit"));
        assertThat(run)
                .containsEntry("bootstrap-servers", "kafka:9092")
                .containsEntry("topic", TradeContract.TRADES_TOPIC)
                .containsEntry("dead-letter-topic", TradeContract.DEAD_LETTER_TOPIC)
                .containsEntry("keyspace", CassandraSchema.DEFAULT_KEYSPACE)
                .containsEntry("cassandra-host", "cassandra")
                .containsKeys("checkpoint-location", "cassandra-username", "cassandra-password-file")
                .doesNotContainKeys("cassandra-password", "apply-schema");

        List<String> submit = compose.command("spark-submit");
        assertThat(submit.get(0)).isEqualTo("/opt/spark/bin/spark-submit");
        assertThat(submit)
                .containsSequence("--master", "spark://spark-master:7077")
                .containsSequence("--deploy-mode", "client")
                .containsSequence("--class", JOB_CLASS);
        assertThat(Repo.path("spark-streaming/src/main/java/" + JOB_CLASS.replace('.', '/') + ".java"))
                .isRegularFile();
    }

    @Test
    void schemaIsAppliedByTheJobsSchemaCommandAsThePipelineRole() {
        Map<String, String> schema = options(jobArguments("cassandra-schema"));
        Map<String, String> run = options(jobArguments("spark-submit"));
        assertThat(schema)
                .containsEntry("apply-schema", "true")
                .containsEntry("keyspace", run.get("keyspace"))
                .containsEntry("cassandra-username", run.get("cassandra-username"))
                .containsEntry("cassandra-host", run.get("cassandra-host"));
        assertThat(compose.command("cassandra-schema")).containsSequence("--class", JOB_CLASS);
        assertThat(compose.service("cassandra-schema").get("image"))
                .isEqualTo(compose.service("spark-submit").get("image"));
        assertThat(compose.dependsOn("cassandra-schema"))
                .containsEntry("cassandra-roles", "service_completed_successfully");
        assertThat(compose.dependsOn("cassandra-roles")).containsEntry("cassandra", "service_healthy");
        assertThat(compose.dependsOn("spark-submit"))
                .containsEntry("cassandra-schema", "service_completed_successfully")
                .containsEntry("kafka-topics", "service_completed_successfully")
                .containsEntry("spark-master", "service_healthy")
                .containsEntry("spark-worker", "service_healthy");
        // the role the job logs in with is the one cassandra-roles creates
        assertThat(compose.environment("cassandra-roles").get("CASSANDRA_USERNAME"))
                .isEqualTo(run.get("cassandra-username"));
    }

    /** The password file the job reads is the one the entrypoint writes from CASSANDRA_PASSWORD. */
    @Test
    void passwordReachesTheJobThroughAFile() {
        for (String service : List.of("spark-submit", "cassandra-schema")) {
            String entrypoint = String.join(
                    " ", ComposeFile.strings(compose.service(service).get("entrypoint")));
            String file = options(jobArguments(service)).get("cassandra-password-file");
            assertThat(entrypoint)
                    .as(service)
                    .contains("\"$CASSANDRA_PASSWORD\" > " + file)
                    .contains("env -u CASSANDRA_PASSWORD");
            assertThat(compose.environment(service)).containsKey("CASSANDRA_PASSWORD");
        }
    }

    /** The CQL the schema command applies is the contract's file, byte for byte (checked in the built jar). */
    @Test
    void jobJarCarriesTheContractsCql() throws IOException {
        Path jar = Repo.path("spark-streaming/target/spark-streaming-job.jar");
        Repo.require(Files.isRegularFile(jar), "no " + jar + ": build spark-streaming first (./mvnw verify builds it)");
        byte[] contract = Files.readAllBytes(Repo.path("trade-contract/src/main/resources" + CassandraSchema.RESOURCE));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            var entry = zip.getEntry(CassandraSchema.RESOURCE.substring(1));
            assertThat(entry).as(CassandraSchema.RESOURCE + " in the job jar").isNotNull();
            try (InputStream in = zip.getInputStream(entry)) {
                assertThat(in.readAllBytes()).isEqualTo(contract);
            }
        }
    }

    @Test
    void jobJarPathIsWhereTheImagePutsIt() {
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+\\.jar)\\s+(\\S+)$").matcher(Repo.read(SPARK_DOCKERFILE));
        assertThat(copy.find()).isTrue();
        String inImage = copy.group(2);
        for (String service : List.of("spark-submit", "cassandra-schema")) {
            List<String> command = compose.command(service);
            assertThat(command.get(indexOfJar(command))).as(service).isEqualTo(inImage);
        }
    }

    @Test
    void jobHealthPortAndPathMatchTheJob() {
        Map<String, String> run = options(jobArguments("spark-submit"));
        String port = run.getOrDefault("health-port", CodeFacts.jobOptions().get("health-port"));
        assertThat(port).isEqualTo(CodeFacts.jobOptions().get("health-port")).isEqualTo("8090");
        assertThat(compose.healthcheck("spark-submit"))
                .contains("http://localhost:" + port + CodeFacts.jobHealthPath("READY"));
        assertThat(compose.containerPorts("spark-submit")).contains(Integer.parseInt(port));
        assertThat(Repo.read(SPARK_DOCKERFILE)).containsPattern("(?m)^EXPOSE " + port + "$");
    }

    /** The checkpoint outlives the driver's container: a named volume (the job keeps no state in executors). */
    @Test
    void checkpointIsOnANamedVolumeOfTheDriver() {
        String checkpoint = options(jobArguments("spark-submit")).get("checkpoint-location");
        Map.Entry<String, String> mount = compose.volumes("spark-submit").entrySet().stream()
                .filter(e -> checkpoint.startsWith(e.getKey() + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("spark-submit does not mount " + checkpoint));
        assertThat(ComposeFile.castMap(compose.model().get("volumes"))).containsKey(mount.getValue());
    }

    @Test
    void sparkClusterServicesRunTheJobImage() {
        for (String service : List.of("spark-master", "spark-worker", "spark-submit", "cassandra-schema")) {
            assertThat(ComposeFile.castMap(compose.service(service).get("build"))
                            .get("dockerfile"))
                    .as(service)
                    .isEqualTo(SPARK_DOCKERFILE);
        }
        assertThat(compose.command("spark-master")).contains("org.apache.spark.deploy.master.Master");
        assertThat(compose.command("spark-worker"))
                .contains("org.apache.spark.deploy.worker.Worker", "spark://spark-master:7077");
    }

    // ------------------------------------------------------------------ Cassandra

    @Test
    void cassandraHasAuthenticationGroupCommitAndALaptopHeap() {
        assertThat(ComposeFile.strings(compose.service("cassandra").get("entrypoint")))
                .contains("/opt/pipeline/start-cassandra.sh");
        assertThat(compose.volumes("cassandra"))
                .containsEntry("/opt/pipeline/start-cassandra.sh", "./cassandra/start-cassandra.sh");
        String script = Repo.read("compose/cassandra/start-cassandra.sh");
        assertThat(script)
                .contains("PasswordAuthenticator", "commitlog_sync: group", "exec docker-entrypoint.sh cassandra -f");
        assertThat(compose.environment("cassandra")).containsKeys("MAX_HEAP_SIZE", "HEAP_NEWSIZE");
        // healthy without a login: no password in the healthcheck, and no default superuser needed for it
        assertThat(compose.healthcheck("cassandra")).contains("nodetool status").doesNotContain("cqlsh", "-p");
        assertThat(compose.environment("cassandra")).doesNotContainKeys(ExampleEnv.PASSWORDS.toArray(String[]::new));
    }

    // ------------------------------------------------------------------ simulator

    @Test
    void simulatorIsBehindItsProfileAndTheSimulatorEnvPointsTheIngestorAtIt() {
        assertThat(ComposeFile.strings(compose.service("feed-simulator").get("profiles")))
                .containsExactly("simulator");
        Matcher port = Pattern.compile("\"--port\", \"(\\d+)\"")
                .matcher(Repo.read("src/main/docker/Dockerfile.feed-simulator"));
        assertThat(port.find()).isTrue();
        assertThat(compose.containerPorts("feed-simulator")).containsExactly(Integer.parseInt(port.group(1)));
        assertThat(compose.healthcheck("feed-simulator")).contains("http://localhost:" + port.group(1) + "/health");

        Map<String, String> simulatorEnv = ComposeFile.readEnvFile(Repo.path(SIMULATOR_ENV));
        assertThat(simulatorEnv)
                .containsEntry("COMPOSE_PROFILES", "simulator")
                .containsEntry("FINNHUB_URL", "ws://feed-simulator:" + port.group(1));
        assertThat(simulatorEnv.get("FINNHUB_TOKEN")).isNotBlank();
        ComposeFile withSimulator = ComposeFile.load(Repo.path(COMPOSE), simulatorEnv);
        assertThat(URI.create(withSimulator.environment("ingestor").get("FINNHUB_URL"))
                        .getHost())
                .isEqualTo("feed-simulator");
    }

    // ------------------------------------------------------------------ env files, policies

    @Test
    void everyVariableIsDocumentedInTheEnvExample() {
        Set<String> used = ComposeFile.variablesIn(Repo.read(COMPOSE));
        Set<String> documented = ComposeFile.documentedVariables(Repo.path(ENV_EXAMPLE));
        assertThat(documented).containsAll(used);
        Set<String> composeOwn = Set.of("COMPOSE_PROFILES", "COMPOSE_PROJECT_NAME");
        Set<String> unused = new TreeSet<>(documented);
        unused.removeAll(used);
        unused.removeAll(composeOwn);
        assertThat(unused).as("documented but not used by compose.yaml").isEmpty();
        assertThat(ComposeFile.readEnvFile(Repo.path(SIMULATOR_ENV)).keySet()).isSubsetOf(documented);
        assertThat(ComposeFile.readEnvFile(Repo.path(ENV_EXAMPLE))).containsEntry("FINNHUB_TOKEN", "");
    }

    @Test
    void envFileWithSecretsIsIgnoredByGit() {
        assertThat(CodeFacts.lines(".gitignore")).contains(".env");
        assertThat(Repo.path("compose/.env.example")).isRegularFile();
    }

    @Test
    void servicesHaveRestartPoliciesLimitsAndHealthchecks() {
        Set<String> oneShots =
                Set.of("kafka-topics", "cassandra-roles", "cassandra-schema", "cassandra-grants", "airflow-init");
        compose.services().forEach((name, value) -> {
            Map<String, Object> service = ComposeFile.castMap(value);
            Map<String, Object> limits = ComposeFile.castMap(ComposeFile.castMap(
                            ComposeFile.castMap(service.get("deploy")).get("resources"))
                    .get("limits"));
            assertThat(limits).as(name + " limits").containsKeys("cpus", "memory");
            if (oneShots.contains(name)) {
                assertThat(service.get("restart")).as(name).isEqualTo("no");
                assertThat(service).as(name).doesNotContainKey("healthcheck");
            } else {
                assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
                assertThat(compose.healthcheck(name)).as(name + " healthcheck").isNotBlank();
            }
        });
    }

    @Test
    void hostPortsAreBoundToLoopback() {
        compose.services()
                .keySet()
                .forEach(name -> ComposeFile.strings(compose.service(name).get("ports"))
                        .forEach(port -> assertThat(port).as(name).startsWith("127.0.0.1:")));
    }
}
