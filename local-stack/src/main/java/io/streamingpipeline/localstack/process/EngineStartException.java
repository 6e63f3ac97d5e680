package io.streamingpipeline.localstack.process;

/** An engine of the local stack did not start or did not become ready; the message says why and quotes its log. */
public class EngineStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EngineStartException(String message) {
        super(message);
    }

    public EngineStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
