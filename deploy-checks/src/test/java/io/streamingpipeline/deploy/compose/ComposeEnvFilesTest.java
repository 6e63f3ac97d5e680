package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** compose/.env.example documents exactly what compose.yaml reads; the real .env, with secrets, stays out of git. */
class ComposeEnvFilesTest {

    @Test
    void everyVariableIsDocumentedInTheEnvExample() {
        Set<String> used = ComposeFile.variablesIn(Repo.read(ExampleEnv.COMPOSE));
        Set<String> documented = ComposeFile.documentedVariables(Repo.path(ExampleEnv.FILE));
        assertThat(documented).containsAll(used);
        Set<String> composeOwn = Set.of("COMPOSE_PROFILES", "COMPOSE_PROJECT_NAME");
        Set<String> unused = new TreeSet<>(documented);
        unused.removeAll(used);
        unused.removeAll(composeOwn);
        assertThat(unused).as("documented but not used by compose.yaml").isEmpty();
        assertThat(ComposeFile.readEnvFile(Repo.path(ExampleEnv.SIMULATOR_ENV)).keySet())
                .isSubsetOf(documented);
        assertThat(ComposeFile.readEnvFile(Repo.path(ExampleEnv.FILE))).containsEntry("FINNHUB_TOKEN", "");
    }

    @Test
    void envFileWithSecretsIsIgnoredByGit() {
        assertThat(List.of(Repo.read(".gitignore").split("\n"))).contains(".env");
        assertThat(Repo.path(ExampleEnv.FILE)).isRegularFile();
    }
}
