package io.streamingpipeline.localstack.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One Cassandra node per test JVM, shared by every test class that asks for it: started on the first {@link #get()}
 * in a new temporary directory, stopped (and the directory deleted) by a shutdown hook when the JVM exits. Tests that
 * share it should use their own keyspaces.
 *
 * <p>System properties: {@code localstack.shared.cassandra.dir} puts the data in that directory instead (kept after
 * the run), {@code localstack.keep=true} keeps the temporary directory (to read {@code cassandra.log} after a failure).
 */
public final class SharedCassandra {

    private static CassandraNode node;
    private static RuntimeException failure;

    private SharedCassandra() {
    }

    /** The shared node, started (and waited for) on the first call. Throws the same failure on every call if it could not start. */
    public static synchronized CassandraNode get() {
        if (failure != null) {
            throw failure;
        }
        if (node == null) {
            try {
                node = startShared();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return node;
    }

    /** {@code 127.0.0.1:<port>} of the shared node (starting it if needed). */
    public static String contactPoint() {
        return get().contactPoint();
    }

    /** A new session on the shared node as its application role; the caller closes it. */
    public static CqlSession session() {
        return get().session();
    }

    private static CassandraNode startShared() {
        String fixedDir = System.getProperty("localstack.shared.cassandra.dir");
        boolean keep = fixedDir != null || Boolean.getBoolean("localstack.keep");
        Path dir;
        try {
            dir = fixedDir != null ? Files.createDirectories(Path.of(fixedDir))
                    : Files.createTempDirectory("shared-cassandra-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the shared Cassandra node's directory", e);
        }
        CassandraNode started;
        try {
            started = CassandraNode.start(dir);
        } catch (RuntimeException e) {
            if (!keep) {
                deleteRecursively(dir);
            }
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.stop();
            if (!keep) {
                deleteRecursively(dir);
            }
        }, "stop-shared-cassandra"));
        System.err.println("[local-stack] shared Cassandra node ready at " + started.contactPoint() + " (pid "
                + started.pid() + ", user " + started.username() + ", log " + started.logFile() + ", started in "
                + started.lastStartDuration().toMillis() + " ms)");
        return started;
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
