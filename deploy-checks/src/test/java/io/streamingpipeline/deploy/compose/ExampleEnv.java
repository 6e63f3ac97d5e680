package io.streamingpipeline.deploy.compose;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** compose/.env.example as a user fills it in: its passwords are empty on purpose, and Compose refuses to start so. */
public final class ExampleEnv {

    public static final String FILE = "compose/.env.example";
    public static final String COMPOSE = "compose/compose.yaml";
    /** The env file of a run without a Finnhub key: the feed simulator stands in. */
    public static final String SIMULATOR_ENV = "compose/simulator.env";

    /** The variables .env.example leaves empty. */
    public static final List<String> PASSWORDS =
            List.of("CASSANDRA_ADMIN_PASSWORD", "CASSANDRA_PASSWORD", "CASSANDRA_READER_PASSWORD");

    private ExampleEnv() {}

    /** The file's variables with each password set, as after {@code cp .env.example .env} and editing it. */
    public static Map<String, String> filledIn() {
        Map<String, String> env = new LinkedHashMap<>(ComposeFile.readEnvFile(Repo.path(FILE)));
        PASSWORDS.forEach(name -> env.put(name, "filled-in-" + name.toLowerCase(Locale.ROOT)));
        return env;
    }

    /** compose/compose.yaml as Compose reads it with the filled-in .env.example. */
    public static ComposeFile compose() {
        return ComposeFile.load(Repo.path(COMPOSE), filledIn());
    }
}
