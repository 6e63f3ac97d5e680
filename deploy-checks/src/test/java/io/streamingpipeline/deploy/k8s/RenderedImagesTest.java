package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.OVERLAYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.deploy.code.Pom;
import io.streamingpipeline.deploy.compose.ComposeImageTags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The images the rendered overlays run: this repository's, at the version Compose builds, and the engines'. */
class RenderedImagesTest {

    @Test
    void applicationImagesAreTheOnesComposeBuilds() throws IOException {
        Set<String> images = new LinkedHashSet<>();
        for (String overlay : OVERLAYS) {
            Rendered.of(overlay).workloads().forEach(w -> w.allContainers().forEach(c -> images.add(c.getImage())));
        }
        Set<String> ours = images.stream()
                .map(Rendered::withoutRegistry)
                .filter(i -> i.startsWith("finnhub-pipeline/"))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String version = Pom.imageTag();
        assertThat(ours)
                .containsExactlyInAnyOrder(
                        "finnhub-pipeline/ingestor:" + version,
                        "finnhub-pipeline/spark-job:" + version,
                        "finnhub-pipeline/feed-simulator:" + version,
                        "finnhub-pipeline/query-api:" + version);
        assertThat(images)
                .anyMatch(i -> i.matches("apache/kafka:4\\.\\d+\\.\\d+"))
                .anyMatch(i -> i.matches("cassandra:5\\.0\\.\\d+"));
        // Compose builds the same images, tagged alike by default
        Map<String, String> composeTags = ComposeImageTags.defaults();
        for (String image : ours) {
            String repository = image.substring(0, image.lastIndexOf(':'));
            assertThat(composeTags)
                    .as("compose/compose.yaml builds %s with the same default tag", repository)
                    .containsEntry(repository, image.substring(image.lastIndexOf(':') + 1));
        }
        // the job jar is where the Spark job image puts it
        Path sparkDockerfile = Kustomize.repoRoot().resolve("src/main/docker/Dockerfile.spark-job");
        if (Files.isRegularFile(sparkDockerfile)) {
            assertThat(Files.readString(sparkDockerfile))
                    .contains(" " + Rendered.of("overlays/dev").configValue("pipeline-config", "spark-job-jar"));
        }
    }
}
