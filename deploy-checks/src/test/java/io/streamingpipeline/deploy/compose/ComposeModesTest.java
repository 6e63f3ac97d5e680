package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two ways to run Compose (your Finnhub key: .env from .env.example; the simulator: simulator.env) are separate
 * projects: their volumes never meet, so switching modes never hands a Cassandra volume set up with one superuser
 * password to the other mode's password, and simulated trades never land in the tables of real ones.
 */
class ComposeModesTest {

    @Test
    void theTwoEnvFilesNameDifferentProjects() {
        Map<String, String> example = ComposeFile.readEnvFile(Repo.path(ExampleEnv.FILE));
        Map<String, String> simulator = ComposeFile.readEnvFile(Repo.path(ExampleEnv.SIMULATOR_ENV));
        assertThat(example.get("COMPOSE_PROJECT_NAME")).isNotBlank();
        assertThat(simulator.get("COMPOSE_PROJECT_NAME"))
                .isNotBlank()
                .isNotEqualTo(example.get("COMPOSE_PROJECT_NAME"));
        // and the README says why, and that one project must be stopped before the other starts (same host ports)
        assertThat(Repo.read("README.md"))
                .contains(
                        example.get("COMPOSE_PROJECT_NAME") + "`",
                        simulator.get("COMPOSE_PROJECT_NAME") + "`",
                        "same host ports");
    }

    /** Placeholder passwords would pass Compose's `:?` checks: .env.example has none, only empty values. */
    @Test
    void theExampleLeavesEveryPasswordEmptyAndTheSimulatorSetsThemAll() {
        Map<String, String> example = ComposeFile.readEnvFile(Repo.path(ExampleEnv.FILE));
        Map<String, String> simulator = ComposeFile.readEnvFile(Repo.path(ExampleEnv.SIMULATOR_ENV));
        String compose = Repo.read(ExampleEnv.COMPOSE);
        for (String password : ExampleEnv.PASSWORDS) {
            assertThat(example).containsEntry(password, "");
            assertThat(simulator.get(password)).as(password).isNotBlank();
            // every use of it is required-and-non-empty
            assertThat(compose)
                    .contains("${" + password + ":?set " + password + " in compose/.env")
                    .doesNotContain(
                            "${" + password + "}",
                            "${" + password + ":-",
                            "${" + password + "-",
                            "${" + password + "?");
        }
    }
}
