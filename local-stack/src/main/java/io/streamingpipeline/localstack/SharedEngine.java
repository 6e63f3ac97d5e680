package io.streamingpipeline.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One engine per test JVM, shared by every test class that asks for it: started on the first {@link #get()} in a new
 * temporary directory, stopped (and the directory deleted) by a shutdown hook when the JVM exits. A failed start is
 * remembered and thrown again on every call, so that one broken engine does not cost every test its start timeout.
 *
 * <p>System properties: {@code localstack.shared.<name>.dir} puts the data in that directory instead (kept after the
 * run); {@code localstack.keep=true} keeps the temporary directory (to read the engine's log after a failure).
 *
 * @param <T> the engine, e.g. a {@code KafkaBroker}
 */
public final class SharedEngine<T> {

    private final String name;
    private final Function<Path, T> start;
    private final Consumer<T> stop;
    private final Function<T, String> describe;
    private T engine;
    private RuntimeException failure;

    /**
     * @param name     {@code kafka}, {@code cassandra}, {@code spark}: names the directory, the system property and the hook
     * @param describe the line printed once the engine is ready (where it listens, its pid and log)
     */
    public SharedEngine(String name, Function<Path, T> start, Consumer<T> stop, Function<T, String> describe) {
        this.name = name;
        this.start = start;
        this.stop = stop;
        this.describe = describe;
    }

    public synchronized T get() {
        if (failure != null) {
            throw failure;
        }
        if (engine == null) {
            try {
                engine = startShared();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        return engine;
    }

    private T startShared() {
        String fixedDir = System.getProperty("localstack.shared." + name + ".dir");
        boolean keep = fixedDir != null || Boolean.getBoolean("localstack.keep");
        Path dir;
        try {
            dir = fixedDir != null
                    ? Files.createDirectories(Path.of(fixedDir))
                    : Files.createTempDirectory("shared-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the directory of the shared " + name, e);
        }
        T started;
        try {
            started = start.apply(dir);
        } catch (RuntimeException e) {
            if (!keep) {
                deleteRecursively(dir);
            }
            throw e;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.accept(started);
                            if (!keep) {
                                deleteRecursively(dir);
                            }
                        },
                        "stop-shared-" + name));
        System.err.println("[local-stack] shared " + name + " ready: " + describe.apply(started));
        return started;
    }

    /** Deletes a directory tree, best effort: a temp dir left behind is harmless. */
    public static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
