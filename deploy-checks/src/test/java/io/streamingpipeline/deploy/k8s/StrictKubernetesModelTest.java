package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict reading catches what a lenient one lets through: each bad fixture fails, for the reason it was made for. */
class StrictKubernetesModelTest {

    private static List<String> problemsOf(String fixture) throws IOException {
        try (InputStream in = StrictKubernetesModelTest.class.getResourceAsStream("/k8s/" + fixture)) {
            assertThat(in).as("fixture %s", fixture).isNotNull();
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return StrictKubernetesModel.parseAll(fixture, yaml).stream()
                    .flatMap(p -> p.problems().stream())
                    .toList();
        }
    }

    @Test
    void aValidDeploymentHasNoProblems() throws IOException {
        assertThat(problemsOf("valid-deployment.yaml")).isEmpty();
    }

    @Test
    void aMisspeltFieldIsCaughtWhereverItIs() throws IOException {
        assertThat(problemsOf("invalid/misspelt-fields.yaml"))
                .anySatisfy(p -> assertThat(p).contains("unknown field").contains("readinesProbe"))
                .anySatisfy(p -> assertThat(p).contains("unknown field").contains("mountpath"))
                .anySatisfy(p -> assertThat(p).contains("unknown field").contains("replica"));
    }

    @Test
    void aValueOfTheWrongTypeIsCaught() throws IOException {
        assertThat(problemsOf("invalid/wrong-type.yaml"))
                .singleElement()
                .asString()
                .contains("Deployment/wrong-type")
                .contains("does not read as Deployment");
    }

    @Test
    void aValueJacksonWouldQuietlyConvertIsCaught() throws IOException {
        assertThat(problemsOf("invalid/coerced-type.yaml"))
                .anySatisfy(p -> assertThat(p).contains("containerPort").contains("wrong type"));
    }

    @Test
    void aBadQuantityIsCaught() throws IOException {
        assertThat(problemsOf("invalid/bad-quantity.yaml"))
                .anySatisfy(p -> assertThat(p).contains("not a quantity"));
    }

    @Test
    void anUnknownKindIsCaught() throws IOException {
        assertThat(problemsOf("invalid/unknown-kind.yaml"))
                .singleElement()
                .asString()
                .contains("is not a Kubernetes API type");
    }

    /** End to end: a typo in the real base makes the real overlay fail, through kustomize and the strict model. */
    @Test
    void aMisspeltFieldInTheRealManifestsFailsTheCheck(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("k8s");
        Path source = Kustomize.k8s("");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = copy.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path ingestor = copy.resolve("base/ingestor.yaml");
        String text = Files.readString(ingestor);
        assertThat(text).contains("readinessProbe:");
        Files.writeString(ingestor, text.replace("readinessProbe:", "readynessProbe:"));

        List<String> problems =
                StrictKubernetesModel.parseAll("copy", Kustomize.build(copy.resolve("overlays/dev"))).stream()
                        .flatMap(p -> p.problems().stream())
                        .toList();

        assertThat(problems)
                .singleElement()
                .asString()
                .contains("Deployment/ingestor")
                .contains("readynessProbe");
    }
}
