package io.streamingpipeline.localstack.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.localstack.EngineLibraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Cassandra engine's jars: what cassandra-all 5.0.6 resolves to by itself (the Quarkus BOM of the root pom must
 * not have moved any of them), and never on this module's classpath.
 */
class CassandraEngineJarsTest {

    @Test
    void libHoldsCassandraWithItsOwnDependencyVersions() throws IOException {
        List<String> jars = jarNames(EngineLibraries.cassandra());

        assertThat(EngineLibraries.cassandraVersion()).isEqualTo("5.0.6");
        assertThat(jars).hasSize(100);
        assertThat(jars)
                .contains(
                        "cassandra-all-5.0.6.jar",
                        "jamm-0.4.0.jar",
                        // what cassandra-all 5.0.6 declares; the Quarkus BOM would give 4.1.133 / 33.x / 2.21 / 2.0.x
                        "netty-all-4.1.119.Final.jar",
                        "netty-common-4.1.119.Final.jar",
                        "guava-32.0.1-jre.jar",
                        "jackson-databind-2.19.2.jar",
                        "snakeyaml-2.1.jar",
                        "jctools-core-3.1.0.jar",
                        // logback 1.2 is an SLF4J 1 binding: slf4j-api must stay 1.7
                        "logback-classic-1.2.12.jar",
                        "slf4j-api-1.7.36.jar");
        for (String family : List.of(
                "netty-common-",
                "netty-handler-",
                "guava-",
                "jackson-databind-",
                "slf4j-api-",
                "caffeine-",
                "snappy-java-")) {
            assertThat(jars.stream().filter(j -> j.startsWith(family) && Character.isDigit(j.charAt(family.length()))))
                    .as(family + "*")
                    .hasSize(1);
        }
    }

    @Test
    void noCassandraServerClassLeaksIntoThisModulesClasspath() {
        assertThatThrownBy(() -> Class.forName("org.apache.cassandra.service.CassandraDaemon"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void yamlHasGroupCommitAuthAndEverythingUnderTheDataDir() {
        var settings = CassandraConfigFiles.settings(
                "c", Path.of("/d"), "127.0.0.1", 9042, 7000, java.util.Map.of("concurrent_reads", "4"));

        assertThat(settings)
                .containsEntry("commitlog_sync", "group")
                .containsEntry("commitlog_sync_group_window", "2ms")
                .containsEntry("memtable_allocation_type", "offheap_objects")
                .containsEntry("authenticator", "PasswordAuthenticator")
                .containsEntry("authorizer", "CassandraAuthorizer")
                .containsEntry("native_transport_port", "9042")
                .containsEntry("storage_port", "7000")
                .containsEntry("listen_address", "127.0.0.1")
                .containsEntry("rpc_address", "127.0.0.1")
                .containsEntry("commitlog_directory", "\"/d/commitlog\"")
                .containsEntry("concurrent_reads", "4");
        assertThat(settings.get("seed_provider")).contains("seeds: \"127.0.0.1:7000\"");
        assertThat(settings.get("data_file_directories")).isEqualTo("\n  - \"/d/data\"");
    }

    @Test
    void builderRejectsTheSuperuserAsApplicationRoleAndOddNames() {
        assertThatThrownBy(() -> CassandraNode.builder(Path.of("x")).credentials("cassandra", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CassandraNode.builder(Path.of("x")).credentials("Robert'); DROP", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CassandraNode.builder(Path.of("x")).credentials("app", ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CassandraNode.builder(Path.of("x")).heap("lots"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> jarNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }
}
