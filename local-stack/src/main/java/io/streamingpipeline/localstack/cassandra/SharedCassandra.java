package io.streamingpipeline.localstack.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.localstack.SharedEngine;

/**
 * One Cassandra node per test JVM, shared by every test class that asks for it: started on the first {@link #get()}
 * in a new temporary directory, stopped (and the directory deleted) by a shutdown hook when the JVM exits. Tests that
 * share it should use their own keyspaces.
 *
 * <p>System properties: {@code localstack.shared.cassandra.dir} puts the data in that directory instead (kept after
 * the run), {@code localstack.keep=true} keeps the temporary directory (to read {@code cassandra.log} after a failure).
 */
public final class SharedCassandra {

    private static final SharedEngine<CassandraNode> SHARED = new SharedEngine<>(
            "cassandra",
            CassandraNode::start,
            CassandraNode::stop,
            n -> n.contactPoint() + " (pid " + n.pid() + ", user " + n.username() + ", log " + n.logFile()
                    + ", started in " + n.lastStartDuration().toMillis() + " ms)");

    private SharedCassandra() {}

    /** The shared node, started (and waited for) on the first call. Throws the same failure on every call if it could not start. */
    public static CassandraNode get() {
        return SHARED.get();
    }

    /** {@code 127.0.0.1:<port>} of the shared node (starting it if needed). */
    public static String contactPoint() {
        return get().contactPoint();
    }

    /** A new session on the shared node as its application role; the caller closes it. */
    public static CqlSession session() {
        return get().session();
    }
}
