package io.streamingpipeline.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.deploy.code.QuarkusService;
import io.streamingpipeline.deploy.code.SparkJob;
import io.streamingpipeline.deploy.compose.Repo;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The images' rules (pinned bases, non-root, only the expected port, no secrets, COPY sources that a build makes and
 * the build context lets through), checked on the Dockerfiles of src/main/docker and, to show they bite, on bad ones.
 */
class DockerfileRulesTest {

    static final String DIR = "src/main/docker/";
    /** Every Dockerfile of DIR (a test checks that the directory holds exactly these); the tests below run on them. */
    static final List<String> DOCKERFILES = List.of(
            "Dockerfile.ingestor.jvm",
            "Dockerfile.ingestor.native",
            "Dockerfile.spark-job",
            "Dockerfile.feed-simulator",
            "Dockerfile.query-api",
            "Dockerfile.airflow");
    /** Built from the sources (own ignore file next to it) rather than from the build's artifacts. */
    static final String NATIVE = "Dockerfile.ingestor.native";
    /** The Dockerfiles that copy a Maven build's artifacts (all but the native one). */
    static final List<String> FROM_ARTIFACTS =
            DOCKERFILES.stream().filter(name -> !name.equals(NATIVE)).toList();
    /** Quarkus services in JVM mode: the fast-jar layout on the same base image (the ingestor's is the model). */
    static final List<String> QUARKUS_JVM = List.of("Dockerfile.ingestor.jvm", "Dockerfile.query-api");

    static Dockerfile dockerfile(String name) {
        return Dockerfile.parse(Repo.read(DIR + name));
    }

    @Test
    void theDirectoryHoldsExactlyTheseDockerfiles() throws IOException {
        try (Stream<Path> files = Files.list(Repo.path(DIR))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".dockerignore")))
                    .containsExactlyInAnyOrderElementsOf(DOCKERFILES);
        }
    }

    @ParameterizedTest
    @FieldSource("DOCKERFILES")
    void followsTheRules(String name) {
        Dockerfile dockerfile = dockerfile(name);
        assertThat(DockerfileRules.pinnedBaseImages(dockerfile)).as(name).isEmpty();
        assertThat(DockerfileRules.nonRootUser(dockerfile)).as(name).isEmpty();
        assertThat(DockerfileRules.noSecretValues(dockerfile)).as(name).isEmpty();
        assertThat(dockerfile.all("HEALTHCHECK"))
                .as(name + ": Compose and Kubernetes define the health checks")
                .isEmpty();
    }

    @Test
    void exposeOnlyTheServicesPorts() {
        String ingestor = String.valueOf(QuarkusService.INGESTOR.httpPort());
        String jobHealth = SparkJob.optionDefault("health-port");
        Matcher simulatorPort =
                Pattern.compile("\"--port\", \"(\\d+)\"").matcher(Repo.read(DIR + "Dockerfile.feed-simulator"));
        assertThat(simulatorPort.find())
                .as("the simulator's ENTRYPOINT sets --port")
                .isTrue();
        Map<String, String> expected = Map.of(
                "Dockerfile.ingestor.jvm",
                ingestor,
                "Dockerfile.ingestor.native",
                ingestor,
                "Dockerfile.spark-job",
                jobHealth,
                "Dockerfile.feed-simulator",
                simulatorPort.group(1),
                "Dockerfile.query-api",
                String.valueOf(QuarkusService.QUERY_API.httpPort()),
                "Dockerfile.airflow",
                "8080");
        assertThat(expected.keySet()).containsExactlyInAnyOrderElementsOf(DOCKERFILES);
        expected.forEach((name, port) -> assertThat(DockerfileRules.exposedPorts(dockerfile(name)))
                .as(name)
                .containsExactly(port));
        assertThat(Repo.read(DIR + "Dockerfile.feed-simulator")).contains("\"--host\", \"0.0.0.0\"");
    }

    @Test
    void nativeImageIsBuiltWithMandrelAndRunsOnTheMicroImage() {
        List<Dockerfile.Instruction> froms = dockerfile(NATIVE).all("FROM");
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0).arguments()).startsWith("quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25 ");
        assertThat(froms.get(1).arguments()).isEqualTo("quay.io/quarkus/ubi9-quarkus-micro-image:2.0");
        assertThat(dockerfile(NATIVE).all("RUN").get(0).arguments()).contains("-pl ingestor", "-Dnative");
        assertThat(dockerfile(NATIVE).inFinalStage("COPY").get(0).flags()).contains("--from=build");
    }

    /**
     * The Quarkus JVM images are built alike: the ingestor's base image, user, entrypoint and launcher settings, and
     * the four fast-jar layers of their own module ({@code <module>/target/quarkus-app/}), in the same order.
     */
    @ParameterizedTest
    @FieldSource("QUARKUS_JVM")
    void quarkusJvmImagesFollowTheIngestorsLayout(String name) {
        Dockerfile model = dockerfile("Dockerfile.ingestor.jvm");
        Dockerfile image = dockerfile(name);
        for (String keyword : List.of("FROM", "USER", "ENV", "ENTRYPOINT")) {
            assertThat(image.all(keyword)).as(name + " " + keyword).isEqualTo(model.all(keyword));
        }
        String module = DockerfileRules.contextSources(image).get(0).split("/")[0];
        assertThat(Repo.path(module + "/pom.xml"))
                .as(name + ": module " + module)
                .isRegularFile();
        assertThat(Repo.read(module + "/pom.xml")).contains("<artifactId>quarkus-maven-plugin</artifactId>");
        String app = module + "/target/quarkus-app/";
        assertThat(image.all("COPY"))
                .extracting(Dockerfile.Instruction::arguments)
                .containsExactly(
                        app + "lib/ /deployments/lib/",
                        app + "*.jar /deployments/",
                        app + "app/ /deployments/app/",
                        app + "quarkus/ /deployments/quarkus/");
    }

    /** COPY sources are build artifacts (target/) that the root .dockerignore lets into the context. */
    @ParameterizedTest
    @FieldSource("FROM_ARTIFACTS")
    void copySourcesAreBuildArtifactsInTheContext(String name) {
        List<String> sources = DockerfileRules.contextSources(dockerfile(name));
        assertThat(sources).as(name).isNotEmpty();
        List<String> exceptions = DockerIgnore.exceptions(Repo.read(".dockerignore"));
        for (String source : sources) {
            assertThat(source).as(name).matches("[a-z-]+/target/.+");
            assertThat(exceptions)
                    .as(name + ": .dockerignore lets " + source + " in")
                    .anyMatch(exception -> DockerIgnore.covers(exception, source));
        }
    }

    /** After a build (./mvnw verify builds them all), every COPY source matches at least one file. */
    @ParameterizedTest
    @FieldSource("FROM_ARTIFACTS")
    void copySourcesExistAfterABuild(String name) {
        for (String source : DockerfileRules.contextSources(dockerfile(name))) {
            Repo.require(matches(source) > 0, name + ": nothing at " + source + " (run the Maven build first)");
        }
    }

    private static long matches(String source) {
        String trimmed = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        if (!trimmed.contains("*")) {
            return Files.exists(Repo.path(trimmed)) ? 1 : 0;
        }
        Path dir = Repo.path(trimmed.substring(0, trimmed.lastIndexOf('/')));
        PathMatcher matcher =
                FileSystems.getDefault().getPathMatcher("glob:" + trimmed.substring(trimmed.lastIndexOf('/') + 1));
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> matcher.matches(f.getFileName())).count();
        } catch (IOException e) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ the rules bite

    @Test
    void rulesCatchBadDockerfiles() {
        assertThat(DockerfileRules.pinnedBaseImages(Dockerfile.parse("FROM eclipse-temurin\n")))
                .hasSize(1);
        assertThat(DockerfileRules.pinnedBaseImages(Dockerfile.parse("FROM eclipse-temurin:latest\n")))
                .hasSize(1);
        assertThat(DockerfileRules.pinnedBaseImages(Dockerfile.parse("FROM localhost:5000/app\n")))
                .hasSize(1);
        assertThat(DockerfileRules.pinnedBaseImages(Dockerfile.parse("ARG V=17\nFROM eclipse-temurin:${V}\n")))
                .hasSize(1);
        assertThat(DockerfileRules.pinnedBaseImages(Dockerfile.parse(
                        "FROM maven:3.9.9-eclipse-temurin-17 AS build\nFROM build\nFROM localhost:5000/app:1.0\n")))
                .isEmpty();

        assertThat(DockerfileRules.nonRootUser(Dockerfile.parse("FROM a:1\nUSER 185\nFROM b:1\n")))
                .hasSize(1);
        assertThat(DockerfileRules.nonRootUser(Dockerfile.parse("FROM a:1\nUSER 185\nUSER root\n")))
                .hasSize(1);
        assertThat(DockerfileRules.nonRootUser(Dockerfile.parse("FROM a:1\nUSER 0:0\n")))
                .hasSize(1);
        assertThat(DockerfileRules.nonRootUser(Dockerfile.parse("FROM a:1\nUSER root\nRUN x\nUSER 1001\n")))
                .isEmpty();

        assertThat(DockerfileRules.noSecretValues(Dockerfile.parse("FROM a:1\nENV FINNHUB_TOKEN=abc\n")))
                .hasSize(1);
        assertThat(DockerfileRules.noSecretValues(Dockerfile.parse("FROM a:1\nENV CASSANDRA_PASSWORD secret\n")))
                .hasSize(1);
        assertThat(DockerfileRules.noSecretValues(Dockerfile.parse("FROM a:1\nARG API_KEY=x\n")))
                .hasSize(1);
        assertThat(DockerfileRules.noSecretValues(Dockerfile.parse("FROM a:1\nARG API_KEY\nENV A=1 B=\"x y\"\n")))
                .isEmpty();

        Dockerfile multi = Dockerfile.parse("FROM a:1 AS build\nEXPOSE 9000\nFROM b:1\nEXPOSE 8080 \\\n  8443\n"
                + "COPY --from=build /x /y\nCOPY --chown=1 t/target/a.jar /app/\n");
        assertThat(DockerfileRules.exposedPorts(multi)).isEqualTo(Set.of("8080", "8443"));
        assertThat(DockerfileRules.contextSources(multi)).containsExactly("t/target/a.jar");
    }
}
