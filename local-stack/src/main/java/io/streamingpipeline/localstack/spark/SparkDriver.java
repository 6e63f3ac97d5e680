package io.streamingpipeline.localstack.spark;

import io.streamingpipeline.localstack.process.JavaProcess;
import io.streamingpipeline.localstack.process.LogTail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running (or finished) {@code spark-submit} in client mode: the application's driver JVM. Stopped by its PID only;
 * when it dies, the standalone master removes the application and the worker kills its executors.
 */
public final class SparkDriver {

    private static final Pattern APP_ID = Pattern.compile("Connected to Spark cluster with app ID (app-\\S+)");

    private final SparkSubmission submission;
    private final JavaProcess process;
    private final Path logFile;

    SparkDriver(SparkSubmission submission, JavaProcess process, Path logFile) {
        this.submission = submission;
        this.process = process;
        this.logFile = logFile;
    }

    public SparkSubmission submission() {
        return submission;
    }

    /** {@code spark.app.name}. */
    public String name() {
        return submission.name();
    }

    public long pid() {
        return process.pid();
    }

    /** The driver's stdout and stderr (Spark's log included). */
    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code once the driver has exited. */
    public Optional<Integer> exitCode() {
        return process.exitCode();
    }

    /** Waits up to {@code timeout} for the driver to exit by itself; true if it has. */
    public boolean waitFor(Duration timeout) {
        return process.waitFor(timeout);
    }

    /**
     * Waits up to {@code timeout} for the driver to exit and returns its exit code; throws {@link IllegalStateException}
     * (with the tail of its log) if it is still running then.
     */
    public int awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new IllegalStateException("Spark driver " + name() + " (pid " + pid() + ") still running after "
                    + timeout.toSeconds() + " s" + LogTail.section(logFile, 40));
        }
        process.stop(Duration.ZERO); // exited: only unregisters the shutdown hook
        return process.exitCode().orElseThrow();
    }

    /** The application's id ({@code app-...}) once the driver has registered with the master; empty before. */
    public Optional<String> applicationId() {
        Matcher m = APP_ID.matcher(LogTail.of(logFile, Integer.MAX_VALUE));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Clean stop: SIGTERM (the application's shutdown hooks run, e.g. a graceful stop of streaming queries), up to
     * {@code grace}, then SIGKILL. Returns true if it exited within {@code grace}. Idempotent.
     */
    public boolean stop(Duration grace) {
        return process.stop(grace);
    }

    /** {@link #stop(Duration)} with 60 s of grace. */
    public boolean stop() {
        return stop(Duration.ofSeconds(60));
    }

    /** kill -9 of the driver (for fault tests); the master then removes the application and its executors. */
    public void kill() {
        process.kill();
    }

    /** The last {@code lines} lines of the driver's log. */
    public String logTail(int lines) {
        return LogTail.of(logFile, lines);
    }

    @Override
    public String toString() {
        return "SparkDriver[" + name() + ", pid " + pid()
                + (isAlive() ? ", running" : ", exited " + exitCode().orElse(-1)) + ", log " + logFile + "]";
    }
}
