package io.streamingpipeline.spark;

import org.apache.spark.sql.Observation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits, for a bounded time, for the metrics a write collected with {@code Dataset.observe}. Spark hands them to the
 * {@link Observation} through its asynchronous listener bus, which can fall behind or drop events under stress
 * (seen once during a Cassandra outage: a batch waited for ever), so the caller gets null instead of hanging.
 */
final class ObservedCounts {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ExecutorService WAITER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "batch-observed-counts");
        t.setDaemon(true);
        return t;
    });

    private ObservedCounts() {
    }

    /** The observed values by name, or null if they did not arrive within {@code timeout}. */
    static Map<String, Object> await(Observation observation, Duration timeout) throws InterruptedException {
        Future<Map<String, Object>> values = WAITER.submit(observation::getAsJava);
        try {
            return values.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            values.cancel(true);
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Reading the observed metrics of " + observation.name() + " failed",
                    e.getCause());
        }
    }

    /** Sums over no rows are null. */
    static long asLong(Object value) {
        return value == null ? 0L : ((Number) value).longValue();
    }
}
