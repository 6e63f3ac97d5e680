package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every kustomization of k8s/ builds with kubectl's kustomize, and every object it renders is a valid API object. */
class KustomizeBuildTest {

    static final List<String> DIRECTORIES = Kustomize.DIRECTORIES;

    @ParameterizedTest(name = "k8s/{0}")
    @FieldSource("DIRECTORIES")
    void buildsAndEveryObjectValidatesStrictly(String dir) {
        List<StrictKubernetesModel.Parsed> parsed = StrictKubernetesModel.parseAll("k8s/" + dir, Kustomize.build(dir));

        assertThat(parsed).as("objects rendered by k8s/%s", dir).isNotEmpty();
        assertThat(parsed.stream().flatMap(p -> p.problems().stream()))
                .as("k8s/%s against the Kubernetes API model (fabric8 8.0.0)", dir)
                .isEmpty();
    }

    @Test
    void everyKustomizationUnderK8sIsBuiltHere() throws IOException {
        Path k8s = Kustomize.k8s("");
        try (Stream<Path> files = Files.walk(k8s)) {
            List<String> found = files.filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                    .map(f -> k8s.relativize(f.getParent()).toString().replace('\\', '/'))
                    // components are built as part of the overlays that use them
                    .filter(d -> !d.startsWith("components/"))
                    .sorted()
                    .toList();
            assertThat(found).containsExactlyInAnyOrderElementsOf(DIRECTORIES);
        }
    }
}
