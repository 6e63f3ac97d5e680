package io.streamingpipeline.deploy.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.deploy.compose.Repo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small build contexts: the root .dockerignore lets in only what the COPY lines use; the native build's keeps secrets out. */
class DockerIgnoreTest {

    @Test
    void rootContextIsOnlyTheBuildArtifacts() {
        List<String> patterns = DockerIgnore.patterns(Repo.read(".dockerignore"));
        assertThat(patterns.get(0)).as("first exclude everything").isEqualTo("*");
        assertThat(patterns.subList(1, patterns.size())).allMatch(p -> p.startsWith("!"));

        List<String> sources = new ArrayList<>();
        for (String name : DockerfileRulesTest.FROM_ARTIFACTS) {
            sources.addAll(DockerfileRules.contextSources(DockerfileRulesTest.dockerfile(name)));
        }
        for (String exception : DockerIgnore.exceptions(Repo.read(".dockerignore"))) {
            assertThat(exception).matches("[a-z-]+/target/.+");
            assertThat(sources).as("some COPY uses " + exception).anyMatch(s -> DockerIgnore.covers(exception, s));
        }
    }

    @Test
    void nativeBuildContextLeavesOutOutputsVcsAndSecrets() {
        String ignore = Repo.read(DockerfileRulesTest.DIR + DockerfileRulesTest.NATIVE + ".dockerignore");
        assertThat(DockerIgnore.patterns(ignore)).contains("**/target/", "**/node_modules/", ".git/", "**/.env");
        assertThat(DockerfileRules.contextSources(DockerfileRulesTest.dockerfile(DockerfileRulesTest.NATIVE)))
                .containsExactly(".");
    }
}
