package io.streamingpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Kafka engine's jars: complete, of the versions Kafka itself wants, and never on this module's classpath. */
class EngineLibrariesTest {

    @Test
    void kafkaLibHoldsTheBrokerOfTheBuildsVersionWithLog4j2() throws IOException {
        Path lib = EngineLibraries.kafka();
        String version = EngineLibraries.kafkaVersion();
        List<String> jars = jarNames(lib);

        assertThat(version).isNotBlank().doesNotContain("${");
        assertThat(jars)
                .contains(
                        "kafka_2.13-" + version + ".jar",
                        "kafka-tools-" + version + ".jar",
                        "kafka-clients-" + version + ".jar",
                        "kafka-server-" + version + ".jar");
        // no second version of anything (the Quarkus BOM must not have moved Kafka's own dependencies)
        assertThat(jars.stream().filter(j -> j.startsWith("kafka-clients-"))).hasSize(1);
        // log4j2 behind SLF4J 1 (what Kafka 4.1 ships): api and core of one version, slf4j-api 1.7.x
        String log4jCore = jars.stream()
                .filter(j -> j.startsWith("log4j-core-"))
                .findFirst()
                .orElseThrow();
        String log4jVersion = log4jCore.substring("log4j-core-".length(), log4jCore.length() - ".jar".length());
        assertThat(jars).contains("log4j-api-" + log4jVersion + ".jar", "log4j-slf4j-impl-" + log4jVersion + ".jar");
        assertThat(jars).anyMatch(j -> j.startsWith("slf4j-api-1.7."));
        assertThat(jars).noneMatch(j -> j.startsWith("log4j-slf4j2-impl") || j.startsWith("slf4j-reload4j"));
    }

    @Test
    void noKafkaServerClassLeaksIntoThisModulesClasspath() {
        assertThatThrownBy(() -> Class.forName("kafka.Kafka")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.apache.kafka.tools.TopicCommand"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void systemPropertyOverridesTheLibDirAndAMissingDirSaysHowToBuildIt() {
        String key = "localstack.kafka.lib";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "/nonexistent/kafka/lib");
            assertThatThrownBy(EngineLibraries::kafka)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("/nonexistent/kafka/lib")
                    .hasMessageContaining("./mvnw -pl local-stack/engines/kafka package");
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
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
