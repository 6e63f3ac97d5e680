package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose/compose.yaml through a real Compose implementation: Debian's docker-compose 1.29 ({@code config} needs no
 * Docker engine). It checks interpolation, volumes used but not declared, and its own (older) Compose schema, so the
 * file stays within what both 1.29 and the current Compose accept (no top-level {@code name}, no
 * {@code healthcheck.start_interval}, ...). Under CI (CI=true) a missing docker-compose fails; elsewhere it skips.
 */
class DockerComposeCliTest {

    static final String INSTALL = "apt-get install -y --no-install-recommends docker-compose";

    private static ExternalTool compose;

    @BeforeAll
    static void findDockerCompose() {
        compose = ExternalTool.require("docker-compose", INSTALL);
    }

    /** The caller's shell must not supply what the env files are supposed to: these are removed for the tool. */
    private static Map<String, String> cleanEnvironment() {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of(
                "FINNHUB_TOKEN",
                "FINNHUB_URL",
                "FINNHUB_SYMBOLS",
                "CASSANDRA_PASSWORD",
                "CASSANDRA_ADMIN_PASSWORD",
                "CASSANDRA_READER_PASSWORD",
                "CASSANDRA_USERNAME",
                "QUERY_API_PORT",
                ComposeImageTags.VARIABLE,
                "COMPOSE_PROFILES",
                "COMPOSE_FILE",
                "COMPOSE_PROJECT_NAME")) {
            env.put(name, null);
        }
        return env;
    }

    private static ExternalTool.Result compose(Path dir, String... args) {
        return compose.run(dir, cleanEnvironment(), args);
    }

    private static ExternalTool.Result config(String envFile, String... options) {
        List<String> args = new ArrayList<>(List.of("-f", "compose/compose.yaml", "--env-file", envFile));
        args.addAll(List.of(options));
        args.addAll(List.of("config", "-q"));
        return compose(Repo.root(), args.toArray(String[]::new));
    }

    /** .env.example copied as it is: its passwords are empty, and Compose refuses to start until they are set. */
    @Test
    void documentedEnvFileNeedsItsPasswordsFilledIn(@TempDir Path tmp) throws Exception {
        ExternalTool.Result asCopied = config("compose/.env.example");
        assertThat(asCopied.exitCode()).as(asCopied.output()).isNotZero();
        assertThat(asCopied.output()).contains("set CASSANDRA_").contains("compose/.env");

        StringBuilder filled = new StringBuilder();
        ExampleEnv.filledIn()
                .forEach((k, v) -> filled.append(k).append('=').append(v).append('\n'));
        Path env = Files.writeString(tmp.resolve("filled.env"), filled);
        ExternalTool.Result result = config(env.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as("docker-compose output").doesNotContainIgnoringCase("warn");
    }

    /** Each password alone left empty is named. */
    @Test
    void eachEmptyPasswordIsReportedByName(@TempDir Path tmp) throws Exception {
        for (String password : ExampleEnv.PASSWORDS) {
            StringBuilder env = new StringBuilder();
            ExampleEnv.filledIn()
                    .forEach((k, v) -> env.append(k)
                            .append('=')
                            .append(k.equals(password) ? "" : v)
                            .append('\n'));
            Path file = Files.writeString(tmp.resolve(password + ".env"), env);
            ExternalTool.Result result = config(file.toString());
            assertThat(result.exitCode()).as(password).isNotZero();
            assertThat(result.output()).contains("set " + password + " in compose/.env");
        }
    }

    @Test
    void validWithTheSimulatorProfile() {
        ExternalTool.Result result = config("compose/simulator.env", "--profile", "simulator");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as("docker-compose output").doesNotContainIgnoringCase("warn");

        ExternalTool.Result services = compose(
                Repo.root(),
                "-f",
                "compose/compose.yaml",
                "--env-file",
                "compose/simulator.env",
                "--profile",
                "simulator",
                "config",
                "--services");
        assertThat(services.exitCode()).as(services.output()).isZero();
        assertThat(services.output().lines()).contains("feed-simulator", "ingestor", "spark-submit", "query-api");
    }

    /** The Cassandra passwords are required: without them Compose stops with a message naming the variable. */
    @Test
    void missingPasswordIsReportedByName(@TempDir Path tmp) throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.env"));
        ExternalTool.Result result =
                compose(Repo.root(), "-f", "compose/compose.yaml", "--env-file", empty.toString(), "config", "-q");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("CASSANDRA_").contains("compose/.env");
    }

    /** The tool really validates: an undeclared named volume and a misspelt key are refused. */
    @Test
    void toolRejectsMistakes(@TempDir Path dir) throws Exception {
        Path volume = Files.writeString(dir.resolve("volume.yaml"), """
                services:
                  a:
                    image: busybox:1.36
                    volumes:
                      - not-declared:/data
                """);
        ExternalTool.Result result = compose(dir, "-f", volume.toString(), "config", "-q");
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("not-declared");

        Path key = Files.writeString(dir.resolve("key.yaml"), """
                services:
                  a:
                    image: busybox:1.36
                    restrat: always
                """);
        result = compose(dir, "-f", key.toString(), "config", "-q");
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).contains("restrat");
    }
}
