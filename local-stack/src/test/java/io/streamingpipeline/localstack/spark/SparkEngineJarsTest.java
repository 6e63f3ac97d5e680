package io.streamingpipeline.localstack.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.localstack.EngineLibraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine's jars: what spark-sql_2.12 3.5.7 resolves to by itself (the Quarkus BOM of the root pom must not
 * have moved any of them: it would bring Scala 2.13), and never on this module's classpath.
 */
class SparkEngineJarsTest {

    @TempDir
    Path tempDir;

    @Test
    void libHoldsSparkWithItsOwnDependencyVersions() throws IOException {
        List<String> jars = jarNames(EngineLibraries.spark());

        assertThat(EngineLibraries.sparkVersion()).isEqualTo("3.5.7");
        assertThat(jars).hasSize(146);
        assertThat(jars)
                .contains(
                        "spark-core_2.12-3.5.7.jar",
                        "spark-sql_2.12-3.5.7.jar",
                        "spark-catalyst_2.12-3.5.7.jar",
                        "hadoop-client-runtime-3.3.4.jar",
                        "scala-library-2.12.18.jar",
                        "scala-reflect-2.12.18.jar",
                        "netty-common-4.1.96.Final.jar",
                        "jackson-databind-2.15.2.jar",
                        "guava-16.0.1.jar",
                        "protobuf-java-3.19.6.jar",
                        "log4j-core-2.20.0.jar",
                        "log4j-api-2.20.0.jar",
                        "slf4j-api-2.0.7.jar");
        assertThat(jars).noneMatch(j -> j.contains("_2.13"));
        for (String family : List.of(
                "scala-library-",
                "netty-common-",
                "jackson-databind-",
                "guava-",
                "log4j-api-",
                "slf4j-api-",
                "commons-lang3-")) {
            assertThat(jars.stream().filter(j -> j.startsWith(family) && Character.isDigit(j.charAt(family.length()))))
                    .as(family + "*")
                    .hasSize(1);
        }
    }

    @Test
    void noSparkClassLeaksIntoThisModulesClasspath() {
        assertThatThrownBy(() -> Class.forName("org.apache.spark.SparkContext"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("scala.Option")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void sparkHomeLinksTheEngineJarsAndWritesALog4jConfig() throws IOException {
        Path home = SparkHome.create(tempDir.resolve("home"), EngineLibraries.spark());
        Path again = SparkHome.create(tempDir.resolve("home"), EngineLibraries.spark()); // idempotent

        assertThat(again).isEqualTo(home);
        assertThat(home.resolve("jars/spark-core_2.12-3.5.7.jar")).isRegularFile();
        assertThat(Files.isSymbolicLink(home.resolve("jars"))).isTrue();
        assertThat(home.resolve("conf/log4j2.properties")).content().contains("rootLogger.level = info");
    }

    @Test
    void submissionDefaultsAndValidation() throws IOException {
        Path jar = Files.createFile(tempDir.resolve("job.jar"));
        SparkSubmission s = SparkSubmission.builder("io.example.TradesJob", jar)
                .conf("spark.sql.shuffle.partitions", "2")
                .maxCores(1)
                .args("--a", "b")
                .build();

        assertThat(s.name()).isEqualTo("TradesJob");
        assertThat(s.conf()).containsEntry("spark.cores.max", "1").containsEntry("spark.sql.shuffle.partitions", "2");
        assertThat(s.args()).containsExactly("--a", "b");
        assertThat(s.driverHeap()).isEqualTo("768m");
        assertThatThrownBy(() -> SparkSubmission.builder("x.Y", jar).name("has space"))
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
