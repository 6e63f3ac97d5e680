package io.streamingpipeline.localstack.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The life cycle the Kafka broker and the Cassandra node share: one child JVM at a time, on a data directory and
 * ports that stay the same, so that the engine can be stopped, killed and started again (fault tests) and keeps
 * its data. Errors while starting quote the end of the engine's stdout/stderr file and of its log.
 */
public abstract class EngineProcess implements AutoCloseable {

    private static final int LOG_LINES_IN_ERRORS = 40;

    private final String name;
    private final Path dataDir;
    private final Duration startTimeout;
    private final Duration stopTimeout;

    private volatile JavaProcess process;

    /** @param name how messages call the engine, e.g. "Kafka broker" */
    protected EngineProcess(String name, Path dataDir, Duration startTimeout, Duration stopTimeout) {
        this.name = name;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
    }

    /** Where clients connect, {@code host:port}. */
    public abstract String address();

    /** The engine's own log. */
    public abstract Path logFile();

    /** The file that receives the engine JVM's stdout and stderr. */
    protected abstract Path outFile();

    /**
     * Writes the engine's configuration, starts its JVM (handing it to {@link #running}) and returns once it
     * serves clients; throws {@link EngineStartException} (use {@link #checkDeadline}) otherwise.
     *
     * @param startedNanos {@link System#nanoTime()} when this start began
     */
    protected abstract void launchProcess(long startedNanos);

    public Path dataDir() {
        return dataDir;
    }

    /** PID of the engine's JVM (of the current or, once stopped, the last process). */
    public long pid() {
        return requireStarted().pid();
    }

    /** Whether the engine's JVM is running (it may still be starting or stopping). */
    public boolean isRunning() {
        JavaProcess current = process;
        return current != null && current.isAlive();
    }

    /**
     * Clean stop: SIGTERM, up to the stop timeout for the engine's own shutdown, then SIGKILL. Keeps the data dir
     * and the ports; {@link #startAgain()} brings the engine back. Idempotent.
     *
     * @return true if the engine shut down by itself within the timeout
     */
    public boolean stop() {
        JavaProcess current = process;
        return current == null || current.stop(stopTimeout);
    }

    /** kill -9 of the engine's JVM (no clean shutdown: for fault tests); {@link #startAgain()} recovers it. */
    public void kill() {
        JavaProcess current = process;
        if (current != null) {
            current.kill();
        }
    }

    /** Starts the engine again after {@link #stop()} or {@link #kill()}: same data dir, same ports; waits until ready. */
    public synchronized void startAgain() {
        if (isRunning()) {
            throw new IllegalStateException(name + " " + address() + " is still running (pid " + process.pid()
                    + "): stop() or kill() it first");
        }
        launch();
    }

    /** {@link #stop()} then {@link #startAgain()}. */
    public void restart() {
        stop();
        startAgain();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + address() + ", "
                + (isRunning() ? "running pid " + process.pid() : "stopped") + ", " + dataDir + "]";
    }

    /** Starts the JVM and waits until the engine is ready; a JVM still running when that fails is killed. */
    protected final synchronized void launch() {
        if (process != null) {
            process.stop(Duration.ZERO); // an engine that died by itself: only unregisters its shutdown hook
        }
        try {
            launchProcess(System.nanoTime());
        } catch (RuntimeException e) {
            JavaProcess current = process;
            if (current != null) {
                current.kill();
            }
            throw e;
        }
    }

    /** Called by {@link #launchProcess} with the JVM it started. */
    protected final void running(JavaProcess started) {
        this.process = started;
    }

    /** The current JVM; only during or after {@link #launchProcess}. */
    protected final JavaProcess process() {
        return requireStarted();
    }

    protected final Duration startTimeout() {
        return startTimeout;
    }

    /** Throws {@link EngineStartException} with the logs if the engine's JVM has exited. */
    protected void checkAlive() {
        JavaProcess current = requireStarted();
        if (!current.isAlive()) {
            throw new EngineStartException(name + " (pid " + current.pid() + ") exited with code "
                    + current.exitCode().orElse(-1) + " while starting in " + dataDir + logs());
        }
    }

    /** Throws {@link EngineStartException} with the logs once {@code deadline} (nano time) has passed. */
    protected final void checkDeadline(long deadline, String what, Exception cause) {
        if (System.nanoTime() > deadline) {
            throw new EngineStartException(
                    name + " (pid " + requireStarted().pid() + ") in " + dataDir
                            + " was not ready within " + startTimeout.toSeconds() + " s: " + what
                            + (cause != null ? " (last error: " + cause + ")" : "") + logs(),
                    cause);
        }
    }

    /** The ends of the stdout/stderr file and of the log, for error messages. */
    protected final String logs() {
        return LogTail.section(outFile(), LOG_LINES_IN_ERRORS) + LogTail.section(logFile(), LOG_LINES_IN_ERRORS);
    }

    /** Whether {@code port} on the loopback address accepts a connection within 200 ms. */
    protected static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(FreePorts.HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    protected final void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("Interrupted while waiting for the " + name, e);
        }
    }

    private JavaProcess requireStarted() {
        JavaProcess current = process;
        if (current == null) {
            throw new IllegalStateException(name + " in " + dataDir + " was never started");
        }
        return current;
    }
}
