package io.streamingpipeline.query.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.ConnectionInitException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Which driver failures mean "Cassandra is unavailable now" (503) rather than a bug or a schema problem (500). */
public final class DriverErrors {

    private DriverErrors() {}

    public static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    public static boolean isUnavailable(Throwable t) {
        Throwable e = unwrap(t);
        return e instanceof CassandraUnavailableException
                || e instanceof AllNodesFailedException // includes NoNodeAvailableException
                || e instanceof DriverTimeoutException
                || e instanceof UnavailableException
                || e instanceof QueryConsistencyException // read/write timeouts and failures
                || e instanceof ReadFailureException
                || e instanceof OverloadedException
                || e instanceof ClosedConnectionException
                || e instanceof ConnectionInitException;
    }

    /** One line for clients and logs, without stack traces. */
    public static String describe(Throwable t) {
        Throwable e = unwrap(t);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline > 0 ? message.substring(0, newline) : message;
    }
}
