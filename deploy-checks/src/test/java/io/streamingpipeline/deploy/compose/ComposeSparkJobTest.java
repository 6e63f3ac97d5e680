package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.deploy.code.SparkJob;
import io.streamingpipeline.deploy.docker.Dockerfile;
import io.streamingpipeline.spark.health.HealthServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compose's Spark cluster and job (spark-master, spark-worker, spark-submit) against the compiled job: its main
 * class, options and defaults, health endpoints, and the image that carries it.
 */
class ComposeSparkJobTest {

    static final String SPARK_DOCKERFILE = ComposeImagesTest.SPARK_DOCKERFILE;
    static final List<String> JOB_SERVICES = List.of("spark-submit", "cassandra-schema");

    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ExampleEnv.compose();
    }

    private static Map<String, String> run() {
        return ComposeJobCommand.jobOptions(compose, "spark-submit");
    }

    @Test
    void jobOptionsExistInJobSettings() {
        Map<String, String> known = SparkJob.options();
        assertThat(known)
                .containsKeys(
                        "bootstrap-servers",
                        "checkpoint-location",
                        "health-port",
                        "apply-schema",
                        "cassandra-password-file",
                        "kafka-option");
        for (String service : JOB_SERVICES) {
            assertThat(ComposeJobCommand.jobOptions(compose, service).keySet())
                    .as(service)
                    .isSubsetOf(known.keySet());
        }
    }

    @Test
    void jobRunsWithTheContractsNames() {
        assertThat(run())
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
                .containsSequence("--class", SparkJob.MAIN_CLASS);
    }

    /** The password file the job reads is the one the entrypoint writes from CASSANDRA_PASSWORD. */
    @Test
    void passwordReachesTheJobThroughAFile() {
        for (String service : JOB_SERVICES) {
            String entrypoint = String.join(
                    " ", ComposeFile.strings(compose.service(service).get("entrypoint")));
            String file = ComposeJobCommand.jobOptions(compose, service).get("cassandra-password-file");
            assertThat(entrypoint)
                    .as(service)
                    .contains("\"$CASSANDRA_PASSWORD\" > " + file)
                    .contains("env -u CASSANDRA_PASSWORD");
            assertThat(compose.environment(service)).containsKey("CASSANDRA_PASSWORD");
        }
    }

    @Test
    void jobJarPathIsWhereTheImagePutsIt() {
        List<String> jarCopies = Dockerfile.parse(Repo.read(SPARK_DOCKERFILE)).inFinalStage("COPY").stream()
                .map(Dockerfile.Instruction::words)
                .filter(words -> words.size() == 2 && words.get(0).endsWith(".jar"))
                .map(words -> words.get(1))
                .toList();
        assertThat(jarCopies).as("the job jar copied into " + SPARK_DOCKERFILE).hasSize(1);
        for (String service : JOB_SERVICES) {
            List<String> command = compose.command(service);
            assertThat(command.get(ComposeJobCommand.indexOfJar(command)))
                    .as(service)
                    .isEqualTo(jarCopies.get(0));
        }
    }

    @Test
    void jobHealthPortAndPathMatchTheJob() {
        String port = run().getOrDefault("health-port", SparkJob.optionDefault("health-port"));
        assertThat(port).isEqualTo(SparkJob.optionDefault("health-port")).isEqualTo("8090");
        assertThat(compose.healthcheck("spark-submit")).contains("http://localhost:" + port + HealthServer.READY);
        assertThat(compose.containerPorts("spark-submit")).contains(Integer.parseInt(port));
        assertThat(Dockerfile.parse(Repo.read(SPARK_DOCKERFILE)).inFinalStage("EXPOSE"))
                .extracting(Dockerfile.Instruction::arguments)
                .contains(port);
    }

    /** The checkpoint outlives the driver's container: a named volume (the job keeps no state in executors). */
    @Test
    void checkpointIsOnANamedVolumeOfTheDriver() {
        String checkpoint = run().get("checkpoint-location");
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
}
