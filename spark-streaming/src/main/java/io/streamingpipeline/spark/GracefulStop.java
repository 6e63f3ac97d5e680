package io.streamingpipeline.spark;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the streaming queries on SIGTERM between two micro-batches rather than in the middle of one.
 *
 * <p>What Spark guarantees either way: a micro-batch is committed only after its sink finished (offsets are
 * written to the checkpoint's offset log before the batch, its commit log entry after). {@code query.stop()}
 * interrupts a running batch; that batch is not committed, and on restart Spark re-runs it with the same offsets:
 * trades are upserts by primary key and candles skip the offsets they have merged ({@code merged_offsets}), so
 * nothing is lost or doubled. Waiting for the running batch only avoids doing that work twice. The hook runs in
 * Hadoop's shutdown-hook manager at a priority above Spark's own hook (which stops the SparkContext), with a
 * timeout: Kubernetes' {@code terminationGracePeriodSeconds} must be longer than {@code --graceful-stop-timeout}.
 */
public final class GracefulStop {

    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
    /** Spark's shutdown hooks run at Hadoop priority 40 (FileSystem's 10 + 30); higher runs first. */
    static final int PRIORITY = 100;

    private static final long POLL_MILLIS = 100;
    private static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    private GracefulStop() {}

    public static void onShutdown(List<StreamingQuery> queries, Duration timeout) {
        org.apache.hadoop.util.ShutdownHookManager.get()
                .addShutdownHook(
                        () -> {
                            SHUTTING_DOWN.set(true);
                            stopAll(queries, timeout);
                        },
                        PRIORITY,
                        timeout.toMillis() + 5_000,
                        TimeUnit.MILLISECONDS);
    }

    /** True once the JVM shuts down: the hook stops every query, nobody else should. */
    public static boolean shuttingDown() {
        return SHUTTING_DOWN.get();
    }

    /**
     * Waits (up to {@code timeout} in all) until each query is between batches, then stops it. Returns when every
     * query's thread has ended, also when another thread stopped it meanwhile ({@code stop()} waits for that).
     */
    public static void stopAll(List<StreamingQuery> queries, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (StreamingQuery query : queries) {
            try {
                if (query.isActive()) {
                    LOG.info("Stopping query {} after its current micro-batch", query.name());
                    while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
                        Thread.sleep(POLL_MILLIS);
                    }
                }
                query.stop();
                LOG.info(
                        "Query {} stopped at batch {}",
                        query.name(),
                        query.lastProgress() == null
                                ? "none"
                                : query.lastProgress().batchId());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (TimeoutException e) {
                LOG.warn("Query {} did not stop in time: {}", query.name(), e.getMessage());
            }
        }
    }
}
