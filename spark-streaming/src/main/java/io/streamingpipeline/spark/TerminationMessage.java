package io.streamingpipeline.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why the driver would not start, where Kubernetes looks for it: the file at the container's
 * {@code terminationMessagePath} ({@value #KUBERNETES_DEFAULT} unless the pod says otherwise), which
 * {@code kubectl describe pod} shows as the last state's message. Written only where that file exists.
 */
final class TerminationMessage {

    static final String KUBERNETES_DEFAULT = "/dev/termination-log";
    /** Kubernetes keeps at most this much of a message. */
    static final int MAX_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(TerminationMessage.class);

    private TerminationMessage() {}

    static void write(Path file, String message) {
        if (!Files.isWritable(file)) { // false when it does not exist: not on Kubernetes
            return;
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, MAX_BYTES);
        try {
            Files.write(file, Arrays.copyOf(bytes, length));
        } catch (IOException | SecurityException e) {
            LOG.debug("Cannot write the termination message to {}: {}", file, e.toString());
        }
    }
}
