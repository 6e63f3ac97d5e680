package io.streamingpipeline.localstack.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One Spark standalone cluster per test JVM, shared by every test class that asks for it: started on the first
 * {@link #get()} in a new temporary directory, stopped (and the directory deleted) by a shutdown hook when the JVM
 * exits. The worker's 2 cores go to one application at a time unless submissions set {@code spark.cores.max}: stop
 * each driver at the end of its test.
 *
 * <p>System properties: {@code localstack.shared.spark.dir} puts the files in that directory instead (kept after the
 * run), {@code localstack.keep=true} keeps the temporary directory (to read the logs after a failure).
 */
public final class SharedSpark {

    private static SparkCluster cluster;
    private static RuntimeException failure;

    private SharedSpark() {
    }

    /** The shared cluster, started on the first call. Throws the same failure on every call if it could not start. */
    public static synchronized SparkCluster get() {
        if (failure != null) {
            throw failure;
        }
        if (cluster == null) {
            try {
                cluster = startShared();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return cluster;
    }

    /** {@code spark://127.0.0.1:<port>} of the shared cluster (starting it if needed). */
    public static String masterUrl() {
        return get().masterUrl();
    }

    private static SparkCluster startShared() {
        String fixedDir = System.getProperty("localstack.shared.spark.dir");
        boolean keep = fixedDir != null || Boolean.getBoolean("localstack.keep");
        Path dir;
        try {
            dir = fixedDir != null ? Files.createDirectories(Path.of(fixedDir))
                    : Files.createTempDirectory("shared-spark-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the shared Spark cluster's directory", e);
        }
        SparkCluster started;
        try {
            started = SparkCluster.start(dir);
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
        }, "stop-shared-spark"));
        System.err.println("[local-stack] shared Spark cluster ready at " + started.masterUrl() + " (ui "
                + started.webUiUrl() + ", pids " + started.masterPid() + "," + started.workerPid() + ", master "
                + started.masterStartDuration().toMillis() + " ms, worker " + started.workerStartDuration().toMillis()
                + " ms)");
        return started;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
