package io.streamingpipeline.query.cassandra;

/** Cassandra cannot answer now (not connected yet, node down, timeouts): answered 503, the client may retry. */
public final class CassandraUnavailableException extends RuntimeException {

    public CassandraUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
