package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.deploy.code.SparkJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compose's Cassandra: the node (logins, group commit, heap), and its schema, applied by the job's own schema command
 * (cassandra-schema) from the contract's CQL, as the pipeline's role.
 */
class ComposeCassandraTest {

    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ExampleEnv.compose();
    }

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

    @Test
    void schemaIsAppliedByTheJobsSchemaCommandAsThePipelineRole() {
        Map<String, String> schema = ComposeJobCommand.jobOptions(compose, "cassandra-schema");
        Map<String, String> run = ComposeJobCommand.jobOptions(compose, "spark-submit");
        assertThat(schema)
                .containsEntry("apply-schema", "true")
                .containsEntry("keyspace", run.get("keyspace"))
                .containsEntry("cassandra-username", run.get("cassandra-username"))
                .containsEntry("cassandra-host", run.get("cassandra-host"));
        assertThat(compose.command("cassandra-schema")).containsSequence("--class", SparkJob.MAIN_CLASS);
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
}
