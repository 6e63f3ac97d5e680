package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.deploy.code.Pom;
import io.streamingpipeline.deploy.compose.ComposeFile;
import io.streamingpipeline.deploy.compose.ComposeImageTags;
import io.streamingpipeline.deploy.compose.ExampleEnv;
import io.streamingpipeline.deploy.compose.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Image tags are written once, in the {@code images:} of {@code k8s/base/kustomization.yaml} and of the components
 * that add images; the manifests name images without a tag. Read from the files themselves (no kubectl needed); the
 * rendered images are checked by {@link RenderedImagesTest}.
 */
class KustomizationImagesTest {

    private static final String KUSTOMIZATION = "kustomization.yaml";

    @Test
    void manifestsNameImagesWithoutATag() {
        Map<String, List<String>> images = manifestImages();
        assertThat(images).as("images named in k8s/ manifests").isNotEmpty();
        images.forEach((file, names) -> assertThat(names)
                .as("%s: images without a tag (the tag is the kustomization's images: newTag)", file)
                .allMatch(name -> !name.substring(name.lastIndexOf('/') + 1).contains(":") && !name.contains("@")));
    }

    @Test
    void everyImageIsTaggedOnceByAKustomization() {
        Map<String, String> tags = new TreeMap<>();
        for (Path kustomization : kustomizations()) {
            for (Map<String, Object> entry : imageEntries(kustomization)) {
                if (entry.get("newTag") == null) {
                    continue;
                }
                String name = String.valueOf(entry.get("name"));
                assertThat(tags.put(name, String.valueOf(entry.get("newTag"))))
                        .as("%s tags %s a second time", relative(kustomization), name)
                        .isNull();
            }
        }
        TreeSet<String> used = new TreeSet<>();
        manifestImages().values().forEach(used::addAll);
        assertThat(tags.keySet())
                .as("images tagged in k8s/**/kustomization.yaml")
                .isEqualTo(used);
    }

    @Test
    void tagsAreTheVersionsTheBuildAndComposeUse() {
        Map<String, String> tags = new TreeMap<>();
        kustomizations()
                .forEach(k -> imageEntries(k).stream()
                        .filter(e -> e.get("newTag") != null)
                        .forEach(e -> tags.put(String.valueOf(e.get("name")), String.valueOf(e.get("newTag")))));
        String version = Pom.imageTag();
        tags.forEach((name, tag) -> {
            if (name.startsWith("finnhub-pipeline/")) {
                assertThat(tag).as(name).isEqualTo(version);
            }
        });
        assertThat(tags.get("apache/kafka")).isEqualTo(Pom.of("pom.xml").property("kafka.version"));
        assertThat(tags.get("cassandra"))
                .isEqualTo(Pom.of("local-stack/engines/cassandra/pom.xml").property("cassandra.engine.version"));
        ComposeFile compose = ComposeFile.load(Repo.path("compose/compose.yaml"), ExampleEnv.filledIn());
        assertThat("postgres:" + tags.get("postgres"))
                .isEqualTo(compose.service("postgres").get("image"));
    }

    /** An image both build and run is tagged alike: Compose's default tag (PIPELINE_IMAGE_TAG) is k8s' newTag. */
    @Test
    void composeTagsTheImagesItSharesWithKubernetesAlike() {
        Map<String, String> tags = new TreeMap<>();
        kustomizations()
                .forEach(k -> imageEntries(k).stream()
                        .filter(e -> e.get("newTag") != null)
                        .forEach(e -> tags.put(String.valueOf(e.get("name")), String.valueOf(e.get("newTag")))));
        Map<String, String> compose = ComposeImageTags.defaults();
        List<String> shared = tags.keySet().stream()
                .filter(name -> name.startsWith("finnhub-pipeline/"))
                .toList();
        assertThat(shared).as("this repository's images in k8s/").isNotEmpty();
        assertThat(compose).as("compose/compose.yaml builds each of them").containsKeys(shared.toArray(String[]::new));
        shared.forEach(name -> assertThat(compose.get(name)).as(name).isEqualTo(tags.get(name)));
    }

    /** Each manifest file of k8s/ (not the kustomizations, not the scripts) and the images its containers name. */
    private static Map<String, List<String>> manifestImages() {
        Map<String, List<String>> images = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Kustomize.k8s(""))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals(KUSTOMIZATION))
                    .filter(f -> !f.getParent().getFileName().toString().equals("scripts"))
                    .toList()) {
                List<String> names = new ArrayList<>();
                for (Object document : yaml().loadAll(Files.readString(file))) {
                    collectImages(document, names);
                }
                if (!names.isEmpty()) {
                    images.put(relative(file), names);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return images;
    }

    private static void collectImages(Object node, List<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> {
                if ("image".equals(key) && value instanceof String image) {
                    into.add(image);
                } else {
                    collectImages(value, into);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collectImages(item, into));
        }
    }

    private static List<Path> kustomizations() {
        try (Stream<Path> files = Files.walk(Kustomize.k8s(""))) {
            return files.filter(f -> f.getFileName().toString().equals(KUSTOMIZATION))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> imageEntries(Path kustomization) {
        try {
            Map<String, Object> root = yaml().load(Files.readString(kustomization));
            Object images = root.get("images");
            return images == null ? List.of() : (List<Map<String, Object>>) images;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static String relative(Path file) {
        return Kustomize.repoRoot().relativize(file).toString();
    }
}
