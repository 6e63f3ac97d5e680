package io.streamingpipeline.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why the driver would not start, in a file a supervisor reads. On Kubernetes that is the container's
 * {@code terminationMessagePath} ({@value #KUBERNETES_DEFAULT} unless the pod says otherwise), which
 * {@code kubectl describe pod} shows as the last state's message; it is written only where Kubernetes mounted it. A
 * launcher that wants the message elsewhere names the file in the environment variable {@value #PATH_VARIABLE} (the
 * local stack's {@code ./pipeline run} does); that file is created or replaced.
 */
final class TerminationMessage {

    static final String KUBERNETES_DEFAULT = "/dev/termination-log";
    /** The environment variable naming the file instead of {@value #KUBERNETES_DEFAULT}. */
    static final String PATH_VARIABLE = TradesToCassandraJob.TERMINATION_MESSAGE_PATH;
    /** Kubernetes keeps at most this much of a message. */
    static final int MAX_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(TerminationMessage.class);

    private TerminationMessage() {}

    /** Writes {@code message} (cut to {@value #MAX_BYTES} bytes) where {@code environment} says, if anywhere. */
    static void write(Map<String, String> environment, String message) {
        String named = environment.get(PATH_VARIABLE);
        boolean chosen = named != null && !named.isBlank();
        String file = chosen ? named : KUBERNETES_DEFAULT;
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try {
            Path path = Path.of(file);
            if (!chosen && !Files.isWritable(path)) { // false when it does not exist: not on Kubernetes
                return;
            }
            Files.write(path, Arrays.copyOf(bytes, Math.min(bytes.length, MAX_BYTES)));
        } catch (IOException | InvalidPathException | SecurityException e) {
            LOG.warn("Cannot write the termination message to {}: {}", file, e.toString());
        }
    }
}
