package io.streamingpipeline.query.domain;

/** A request the service will not run; answered 400 with {@code parameter} and the message. */
public final class InvalidRequestException extends RuntimeException {

    private final String parameter;

    public InvalidRequestException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
