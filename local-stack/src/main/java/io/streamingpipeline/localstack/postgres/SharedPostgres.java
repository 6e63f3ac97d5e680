package io.streamingpipeline.localstack.postgres;

import io.streamingpipeline.localstack.SharedEngine;

/**
 * One Postgres server per test JVM, shared by every test class that asks for it (see {@link SharedEngine}): started
 * on the first {@link #get()} in a temporary directory, stopped when the JVM exits. Tests keep apart by their own
 * databases ({@link PostgresServer#createDatabase}).
 */
public final class SharedPostgres {

    private static final SharedEngine<PostgresServer> SHARED = new SharedEngine<>(
            "postgres",
            dir -> PostgresServer.start(dir.resolve("pgdata")),
            PostgresServer::stop,
            p -> "127.0.0.1:" + p.port() + " (data " + p.dataDir() + ", started in "
                    + p.startDuration().toMillis() + " ms)");

    private SharedPostgres() {}

    public static PostgresServer get() {
        return SHARED.get();
    }
}
