package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.deploy.docker.Dockerfile;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The feed simulator under its profile, and compose/simulator.env, which points the ingestor at it. */
class ComposeSimulatorTest {

    @Test
    void simulatorIsBehindItsProfileAndTheSimulatorEnvPointsTheIngestorAtIt() {
        ComposeFile compose = ExampleEnv.compose();
        assertThat(ComposeFile.strings(compose.service("feed-simulator").get("profiles")))
                .containsExactly("simulator");
        List<Dockerfile.Instruction> entrypoint = Dockerfile.parse(
                        Repo.read("src/main/docker/Dockerfile.feed-simulator"))
                .inFinalStage("ENTRYPOINT");
        assertThat(entrypoint).hasSize(1);
        List<String> words = entrypoint.get(0).words();
        int option = words.indexOf("--port");
        assertThat(option).as("--port in the simulator's ENTRYPOINT").isNotNegative();
        String port = words.get(option + 1);
        assertThat(compose.containerPorts("feed-simulator")).containsExactly(Integer.parseInt(port));
        assertThat(compose.healthcheck("feed-simulator")).contains("http://localhost:" + port + "/health");

        Map<String, String> simulatorEnv = ComposeFile.readEnvFile(Repo.path(ExampleEnv.SIMULATOR_ENV));
        assertThat(simulatorEnv)
                .containsEntry("COMPOSE_PROFILES", "simulator")
                .containsEntry("FINNHUB_URL", "ws://feed-simulator:" + port);
        assertThat(simulatorEnv.get("FINNHUB_TOKEN")).isNotBlank();
        ComposeFile withSimulator = ComposeFile.load(Repo.path(ExampleEnv.COMPOSE), simulatorEnv);
        assertThat(URI.create(withSimulator.environment("ingestor").get("FINNHUB_URL"))
                        .getHost())
                .isEqualTo("feed-simulator");
    }
}
