package io.streamingpipeline.ingestor.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Last line of defence: rewrites any log record (message, parameters, exception messages) that would print a known
 * secret, whoever logs it: our code, Vert.x or the websocket client, which may print the connection URL.
 * Enabled for every handler in {@code application.properties} ({@code quarkus.log.*.filter=redact-secrets}).
 */
@LoggingFilter(name = "redact-secrets")
public final class TokenRedactingFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String formatted = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (SecretRedaction.containsSecret(formatted)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(SecretRedaction.redact(formatted), ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(SecretRedaction.redact(formatted));
            }
            record.setParameters(null);
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && mentionsSecret(thrown)) {
            record.setThrown(redactedCopy(thrown, 0));
        }
        return true;
    }

    private static boolean mentionsSecret(Throwable t) {
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            if (SecretRedaction.containsSecret(t.getMessage()) || SecretRedaction.containsSecret(t.toString())) {
                return true;
            }
        }
        return false;
    }

    private static Throwable redactedCopy(Throwable t, int depth) {
        RedactedException copy = new RedactedException(
                t.getClass().getName() + ": " + SecretRedaction.redact(t.getMessage()),
                t.getCause() != null && depth < 20 ? redactedCopy(t.getCause(), depth + 1) : null);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** Stands in for an exception whose message held a secret. */
    static final class RedactedException extends RuntimeException {
        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
