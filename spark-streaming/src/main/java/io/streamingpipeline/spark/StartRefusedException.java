package io.streamingpipeline.spark;

/**
 * The job will not start on what it found: a topic or table that is missing or not the one its checkpoint belongs to.
 * Starting again cannot help until an operator acts, so the driver exits with
 * {@link TradesToCassandraJob#EXIT_REFUSED}, and the message says what to do. Kafka or Cassandra out of reach is not a
 * refusal: that may pass, and the driver exits 1 to be started again.
 */
public final class StartRefusedException extends IllegalStateException {

    public StartRefusedException(String message) {
        super(message);
    }
}
