package io.streamingpipeline.localstack.pipeline;

import io.streamingpipeline.localstack.spark.SparkDriver;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The streaming job's driver under {@code ./pipeline run}, restarted as a deployment's restart policy would. A driver
 * that exits (a batch failed: Cassandra or Kafka out of reach, a killed process) or fails to start is submitted again
 * on its checkpoint after a back-off that starts at {@link #FIRST_BACKOFF} and doubles up to {@link #MAX_BACKOFF}
 * while attempts keep failing. A driver that refused to start ({@link TradesJobLaunch#EXIT_REFUSED}) or was given a
 * wrong option ({@link TradesJobLaunch#EXIT_INVALID_SETTINGS}) is not: it would refuse again, so the pipeline stops
 * with the reason the job wrote to its termination message file ({@link Refused}).
 */
final class JobSupervisor {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A driver running this long counts as started well: the next failure backs off from the start again. */
    static final Duration STABLE = Duration.ofSeconds(60);

    /** The job would not start; starting it again unchanged cannot help. */
    static final class Refused extends IllegalStateException {
        Refused(int exitCode, String reason) {
            super("the Spark job refused to start (exit code " + exitCode + "), so it is not submitted again:"
                    + System.lineSeparator() + reason);
        }
    }

    /** A driver that exited before its health endpoint was live, or did not get there in time. */
    static final class StartFailed extends IllegalStateException {
        /** The driver, when it exited by itself; empty when it was stopped for taking too long. */
        private final Optional<SparkDriver> exited;

        private StartFailed(Optional<SparkDriver> exited, String message) {
            super(message);
            this.exited = exited;
        }

        /** {@code driver} exited before it was live: its exit code says whether to submit it again. */
        static StartFailed exited(SparkDriver driver, String message) {
            return new StartFailed(Optional.of(driver), message);
        }

        /** The driver was not live in time and has been stopped: submitting it again may help. */
        static StartFailed timedOut(String message) {
            return new StartFailed(Optional.empty(), message);
        }
    }

    private final PrintStream out;
    private final Path terminationMessage;
    private final Supplier<SparkDriver> submit;
    /** Read by the shutdown hook's stop as well as by the progress loop. */
    private volatile SparkDriver driver;

    private long startedAt;
    private int failures;
    private long nextAttempt;

    /**
     * @param terminationMessage the file {@code submit}'s driver writes its reason to when it refuses to start
     *     ({@link TradesJobLaunch#terminationMessage}); deleted before each submission
     * @param submit spark-submit on the pipeline's checkpoint; returns once the driver's health endpoint is live, or
     *     throws {@link StartFailed}
     */
    JobSupervisor(PrintStream out, Path terminationMessage, Supplier<SparkDriver> submit) {
        this.out = out;
        this.terminationMessage = terminationMessage;
        this.submit = submit;
    }

    /** The first submission: any failure propagates, and the pipeline does not start. */
    void start() {
        try {
            started(submit());
        } catch (StartFailed e) {
            e.exited.ifPresent(this::throwIfRefused);
            throw e;
        }
    }

    /**
     * Once per progress report: notices a driver that exited and submits it again when its back-off has passed.
     * Throws {@link Refused} when the driver refused to start.
     */
    void check() {
        long now = System.nanoTime();
        if (driver != null) {
            if (driver.isAlive()) {
                if (now - startedAt >= STABLE.toNanos()) {
                    failures = 0;
                }
                return;
            }
            SparkDriver exited = driver;
            driver = null;
            throwIfRefused(exited);
            out.printf(
                    "the Spark job exited (code %s); its log ends with:%n%s%n",
                    exited.exitCode().map(String::valueOf).orElse("?"), exited.logTail(8));
            backOff(now);
        }
        if (now < nextAttempt) {
            return;
        }
        out.printf("resubmitting the job from its checkpoint (attempt %d) ...%n", failures);
        try {
            started(submit());
        } catch (StartFailed e) {
            e.exited.ifPresent(this::throwIfRefused);
            out.println(e.getMessage());
            backOff(System.nanoTime());
        }
    }

    /** The running driver, if any. */
    Optional<SparkDriver> current() {
        return Optional.ofNullable(driver);
    }

    /** Seconds to wait before the attempt after {@code failures} failed ones in a row. */
    static Duration backOff(int failures) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(failures - 1, 16);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    /**
     * Throws {@link Refused} if {@code exited} refused to start or was given a wrong option, with the reason from its
     * termination message file, or the end of its log if it wrote none.
     */
    private void throwIfRefused(SparkDriver exited) {
        int code = exited.exitCode().orElse(-1);
        if (code == TradesJobLaunch.EXIT_REFUSED || code == TradesJobLaunch.EXIT_INVALID_SETTINGS) {
            String reason = readTerminationMessage()
                    .orElseGet(() -> "(no termination message in " + terminationMessage
                            + "; the driver's log ends with:)" + System.lineSeparator() + exited.logTail(40));
            throw new Refused(code, reason);
        }
    }

    /** The job's termination message, if it wrote one. */
    Optional<String> readTerminationMessage() {
        try {
            if (!Files.exists(terminationMessage)) {
                return Optional.empty();
            }
            String text =
                    Files.readString(terminationMessage, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Spark job's termination message " + terminationMessage, e);
        }
    }

    /** A submission, without the message of an earlier driver. */
    private SparkDriver submit() {
        try {
            Files.deleteIfExists(terminationMessage);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot delete the Spark job's old termination message " + terminationMessage, e);
        }
        return submit.get();
    }

    private void started(SparkDriver running) {
        driver = running;
        startedAt = System.nanoTime();
    }

    private void backOff(long now) {
        failures++;
        Duration wait = backOff(failures);
        nextAttempt = now + wait.toNanos();
        out.printf("  the job is submitted again in %d s%n", wait.toSeconds());
    }
}
