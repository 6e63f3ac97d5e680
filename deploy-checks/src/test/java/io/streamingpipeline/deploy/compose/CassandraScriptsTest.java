package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two scripts Compose mounts into the Cassandra image. start-cassandra.sh runs here for real (bash + GNU sed,
 * as in the image) on an excerpt of the stock 5.0 cassandra.yaml, in its configure-only mode; the result is read back
 * as YAML. The roles script needs cqlsh and a node: CassandraRolesScriptIT runs it on one; here only its syntax and
 * its variables are checked.
 */
class CassandraScriptsTest {

    private static ExternalTool bash;

    @BeforeAll
    static void findBash() {
        bash = ExternalTool.require("bash", "apt-get install -y bash");
    }

    @TempDir
    Path tmp;

    private Path configuredCopy(String excerpt) throws IOException {
        Path conf = Files.createTempDirectory(tmp, "cassandra-conf");
        Files.writeString(conf.resolve("cassandra.yaml"), excerpt);
        ExternalTool.Result result = bash.run(
                Repo.root(),
                Map.of("CASSANDRA_CONF", conf.toString(), "PIPELINE_CONFIGURE_ONLY", "1"),
                "compose/cassandra/start-cassandra.sh");
        assertThat(result.exitCode()).as(result.output()).isZero();
        return conf.resolve("cassandra.yaml");
    }

    private static String stockExcerpt() throws IOException {
        try (InputStream in = CassandraScriptsTest.class.getResourceAsStream("/compose/cassandra-yaml-excerpt.yaml")) {
            return new String(in.readAllBytes());
        }
    }

    @Test
    void turnsOnAuthenticationGroupCommitAndOffHeapMemtables() throws IOException {
        Path yaml = configuredCopy(stockExcerpt());
        Map<String, Object> config = ComposeFile.parse(Files.readString(yaml)); // duplicate keys are refused here
        assertThat(ComposeFile.castMap(config.get("authenticator")))
                .containsEntry("class_name", "PasswordAuthenticator");
        assertThat(config)
                .containsEntry("authorizer", "CassandraAuthorizer")
                .containsEntry("commitlog_sync", "group")
                .containsEntry("commitlog_sync_group_window", "2ms")
                .containsEntry("memtable_allocation_type", "offheap_objects")
                .doesNotContainKey("commitlog_sync_period");
        assertThat(ComposeFile.castMap(config.get("network_authorizer")))
                .containsEntry("class_name", "AllowAllNetworkAuthorizer");
        assertThat(ComposeFile.castMap(config.get("role_manager"))).containsEntry("class_name", "CassandraRoleManager");
    }

    @Test
    void runningTwiceChangesNothingMore() throws IOException {
        Path once = configuredCopy(stockExcerpt());
        String first = Files.readString(once);
        Path twice = configuredCopy(first);
        assertThat(Files.readString(twice)).isEqualTo(first);
    }

    /** A yaml the script cannot edit stops the container instead of starting Cassandra without logins. */
    @Test
    void failsWhenTheFileChangedShape() throws IOException {
        Path conf = Files.createTempDirectory(tmp, "cassandra-conf");
        Files.writeString(
                conf.resolve("cassandra.yaml"),
                "authenticator:\n  class_name: SomethingElse\ncommitlog_sync: periodic\n");
        ExternalTool.Result result = bash.run(
                Repo.root(),
                Map.of("CASSANDRA_CONF", conf.toString(), "PIPELINE_CONFIGURE_ONLY", "1"),
                "compose/cassandra/start-cassandra.sh");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("authenticator");
    }

    /**
     * The roles script (shared with Kubernetes, run on a real node by CassandraRolesScriptIT) is what Compose mounts,
     * with the variables it reads.
     */
    @Test
    void rolesScriptIsValidBashAndGetsWhatItReads() {
        String path = "k8s/base/scripts/cassandra-bootstrap-roles.sh";
        ExternalTool.Result syntax = bash.run(Repo.root(), Map.of(), "-n", path);
        assertThat(syntax.exitCode()).as(syntax.output()).isZero();
        String script = Repo.read(path);
        ComposeFile compose = ComposeFile.load(Repo.path(ExampleEnv.COMPOSE), ExampleEnv.filledIn());
        for (String service : java.util.List.of("cassandra-roles", "cassandra-grants")) {
            assertThat(compose.volumes(service))
                    .containsEntry("/opt/pipeline/cassandra-bootstrap-roles.sh", "../" + path);
            assertThat(Repo.path("compose").resolve("../" + path).normalize()).isEqualTo(Repo.path(path));
            compose.environment(service)
                    .keySet()
                    .forEach(name -> assertThat(script)
                            .as(service + " sets " + name)
                            .containsPattern("\\$\\{" + name + "[:}]|secret [a-z-]+ " + name + "\\b"));
        }
        assertThat(ComposeFile.strings(compose.service("cassandra-roles").get("entrypoint")))
                .endsWith("roles");
        assertThat(ComposeFile.strings(compose.service("cassandra-grants").get("entrypoint")))
                .endsWith("grants");
        // no password on a command line: cqlsh gets a credentials file, statements with passwords go to its stdin
        assertThat(script)
                .doesNotContainPattern("cqlsh[^\\n]*\\s-p\\s")
                .doesNotContain("--password")
                .contains("--credentials")
                .doesNotContainPattern("cql[^\\n]*-e ");
    }
}
