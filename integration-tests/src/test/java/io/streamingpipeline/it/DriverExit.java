package io.streamingpipeline.it;

import io.streamingpipeline.localstack.spark.SparkDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;

/**
 * How a driver that is expected to stop by itself ended: its exit code, its whole log, and the first line of the log
 * that holds a given text (empty if none).
 */
record DriverExit(int code, String log, String line) {

    /** Waits for the driver to exit (at most {@code timeout}) and prints the code and the line. */
    static DriverExit await(SparkDriver driver, Duration timeout, String lineHolding) throws IOException {
        int code = driver.awaitExit(timeout);
        String log = Files.readString(driver.logFile());
        String line = log.lines()
                .filter(l -> l.contains(lineHolding))
                .findFirst()
                .orElse("")
                .strip();
        System.out.printf("driver %d exited %d: %s%n", driver.pid(), code, line);
        return new DriverExit(code, log, line);
    }
}
