package io.streamingpipeline.ingestor.logging;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secrets this process knows (the Finnhub token, raw and URL-encoded) and their removal from text.
 * Static because the log filter is created before CDI beans exist.
 */
public final class SecretRedaction {

    public static final String MASK = "<redacted>";
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();

    private SecretRedaction() {}

    public static void register(String secret) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        add(secret);
        add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
    }

    private static void add(String s) {
        if (!SECRETS.contains(s)) {
            SECRETS.add(s);
        }
    }

    public static boolean containsSecret(String text) {
        if (text == null) {
            return false;
        }
        for (String s : SECRETS) {
            if (text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : SECRETS) {
            out = out.replace(s, MASK);
        }
        return out;
    }

    /** A short, safe description of a failure: its type and redacted message, no stack. */
    public static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getClass().getSimpleName());
        if (t.getMessage() != null) {
            sb.append(": ").append(redact(t.getMessage()));
        }
        Throwable cause = t.getCause();
        if (cause != null && cause != t) {
            sb.append(" (caused by ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                sb.append(": ").append(redact(cause.getMessage()));
            }
            sb.append(')');
        }
        return sb.toString();
    }
}
