package io.streamingpipeline.localstack.postgres;

import java.nio.file.Path;

/** A JVM that starts Postgres in {@code args[0]}, prints {@code PID <postmaster pid>}, and waits to be killed. */
public final class PostgresHolderMain {

    private PostgresHolderMain() {}

    public static void main(String[] args) throws InterruptedException {
        PostgresServer server = PostgresServer.start(Path.of(args[0]));
        System.out.println("PID " + server.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
