package io.streamingpipeline.ingestor.config;

/** A setting is missing or wrong; the message says which one and how to fix it, and never holds a secret. */
public class InvalidConfigurationException extends RuntimeException {

    public InvalidConfigurationException(String message) {
        super(message, null, false, false);
    }
}
