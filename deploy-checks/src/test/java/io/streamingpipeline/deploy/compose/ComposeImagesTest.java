package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.deploy.code.Pom;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** compose/compose.yaml's images and builds: what they are built from, how they are tagged, what they mount. */
class ComposeImagesTest {

    static final String SPARK_DOCKERFILE = "src/main/docker/Dockerfile.spark-job";

    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ExampleEnv.compose();
    }

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
        String version = Pom.imageTag();
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

    /**
     * The tag of the images built here is written once as a variable, PIPELINE_IMAGE_TAG, whose default is the
     * project version (k8s/ tags them the same, {@code KustomizationImagesTest}).
     */
    @Test
    void builtImagesAreTaggedByOneVariableDefaultingToTheProjectVersion() {
        Map<String, String> defaults = ComposeImageTags.defaults();
        assertThat(defaults.keySet())
                .contains(
                        "finnhub-pipeline/ingestor",
                        "finnhub-pipeline/query-api",
                        "finnhub-pipeline/spark-job",
                        "finnhub-pipeline/feed-simulator",
                        "finnhub-pipeline/airflow");
        defaults.forEach(
                (image, tag) -> assertThat(tag).as("default tag of " + image).isEqualTo(Pom.imageTag()));

        Map<String, String> env = new LinkedHashMap<>(ExampleEnv.filledIn());
        env.put(ComposeImageTags.VARIABLE, "1.2.3-rc1");
        ComposeFile retagged = ComposeFile.load(Repo.path(ExampleEnv.COMPOSE), env);
        retagged.services().forEach((name, value) -> {
            String image = String.valueOf(ComposeFile.castMap(value).get("image"));
            if (image.startsWith("finnhub-pipeline/")) {
                assertThat(image).as(name).endsWith(":1.2.3-rc1");
            }
        });
    }

    @Test
    void imageVersionsMatchTheBuild() {
        Pom root = Pom.of("pom.xml");
        Pom spark = Pom.of("spark-streaming/pom.xml");
        assertThat(compose.service("kafka").get("image")).isEqualTo("apache/kafka:" + root.property("kafka.version"));
        assertThat(compose.service("kafka-topics").get("image"))
                .isEqualTo(compose.service("kafka").get("image"));
        assertThat(compose.service("cassandra").get("image"))
                .isEqualTo("cassandra:"
                        + Pom.of("local-stack/engines/cassandra/pom.xml").property("cassandra.engine.version"));
        assertThat(Repo.read(SPARK_DOCKERFILE))
                .contains("FROM apache/spark:" + spark.property("spark.version") + "-scala"
                        + spark.property("scala.binary.version") + "-java17-ubuntu");
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
}
