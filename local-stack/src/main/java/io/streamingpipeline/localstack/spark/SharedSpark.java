package io.streamingpipeline.localstack.spark;

import io.streamingpipeline.localstack.SharedEngine;

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

    private static final SharedEngine<SparkCluster> SHARED = new SharedEngine<>(
            "spark",
            SparkCluster::start,
            SparkCluster::stop,
            c -> c.masterUrl() + " (ui " + c.webUiUrl() + ", pids " + c.masterPid() + "," + c.workerPid() + ", master "
                    + c.masterStartDuration().toMillis() + " ms, worker "
                    + c.workerStartDuration().toMillis() + " ms)");

    private SharedSpark() {}

    /** The shared cluster, started on the first call. Throws the same failure on every call if it could not start. */
    public static SparkCluster get() {
        return SHARED.get();
    }

    /** {@code spark://127.0.0.1:<port>} of the shared cluster (starting it if needed). */
    public static String masterUrl() {
        return get().masterUrl();
    }
}
