package io.streamingpipeline.localstack.pipeline;

import io.streamingpipeline.localstack.spark.SparkDriver;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The streaming job's driver under {@code ./pipeline run}, restarted as a deployment's restart policy would. A driver
 * that exits (a batch failed: Cassandra or Kafka out of reach, a killed process) or fails to start is submitted again
 * on its checkpoint after a back-off that starts at {@link #FIRST_BACKOFF} and doubles up to {@link #MAX_BACKOFF}
 * while attempts keep failing. A driver that refused to start ({@link TradesJobLaunch#EXIT_REFUSED}) or was given a
 * wrong option ({@link TradesJobLaunch#EXIT_INVALID_SETTINGS}) is not: it would refuse again, so the pipeline stops
 * with the job's reason ({@link Refused}).
 */
final class JobSupervisor {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** A driver running this long counts as started well: the next failure backs off from the start again. */
    static final Duration STABLE = Duration.ofSeconds(60);

    /** Spark's own log lines in the driver's log (the local stack's log4j layout), and stack frames. */
    private static final Pattern SPARK_LOG_LINE =
            Pattern.compile("^(\\d{2}/\\d{2}/\\d{2} \\d{2}:\\d{2}|\\s+at |\\s*\\.\\.\\. \\d+ more)");

    /** The job would not start; starting it again unchanged cannot help. */
    static final class Refused extends IllegalStateException {
        Refused(int exitCode, String reason) {
            super("the Spark job refused to start (exit code " + exitCode + "), so it is not submitted again:"
                    + System.lineSeparator() + reason);
        }
    }

    /** A driver that exited before its health endpoint was live, or did not get there in time. */
    static final class StartFailed extends IllegalStateException {
        private final SparkDriver driver;

        StartFailed(SparkDriver driver, String message) {
            super(message);
            this.driver = driver;
        }
    }

    private final PrintStream out;
    private final Supplier<SparkDriver> submit;
    /** Read by the shutdown hook's stop as well as by the progress loop. */
    private volatile SparkDriver driver;

    private long startedAt;
    private int failures;
    private long nextAttempt;

    /**
     * @param submit spark-submit on the pipeline's checkpoint; returns once the driver's health endpoint is live, or
     *     throws {@link StartFailed}
     */
    JobSupervisor(PrintStream out, Supplier<SparkDriver> submit) {
        this.out = out;
        this.submit = submit;
    }

    /** The first submission: any failure propagates, and the pipeline does not start. */
    void start() {
        try {
            started(submit.get());
        } catch (StartFailed e) {
            throwIfRefused(e.driver);
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
            started(submit.get());
        } catch (StartFailed e) {
            throwIfRefused(e.driver);
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
     * What the job printed, from the end of its log: for {@link TradesJobLaunch#EXIT_REFUSED} the last line starting
     * with {@link TradesJobLaunch#REFUSED}; else the lines after Spark's last log line (the job's list of wrong
     * options).
     */
    static String reason(int exitCode, String logTail) {
        List<String> lines = Arrays.asList(logTail.split("\\R"));
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (exitCode == TradesJobLaunch.EXIT_REFUSED && line.startsWith(TradesJobLaunch.REFUSED)) {
                return line;
            }
            if (exitCode != TradesJobLaunch.EXIT_REFUSED
                    && SPARK_LOG_LINE.matcher(line).find()) {
                return String.join(System.lineSeparator(), lines.subList(i + 1, lines.size()))
                        .strip();
            }
        }
        return logTail.strip();
    }

    private static void throwIfRefused(SparkDriver exited) {
        if (exited == null || exited.isAlive()) {
            return;
        }
        int code = exited.exitCode().orElse(-1);
        if (code == TradesJobLaunch.EXIT_REFUSED || code == TradesJobLaunch.EXIT_INVALID_SETTINGS) {
            throw new Refused(code, reason(code, exited.logTail(40)));
        }
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
