package io.streamingpipeline.deploy.docker;

import java.util.ArrayList;
import java.util.List;

/** The patterns of a .dockerignore file, enough to tell which paths its exceptions ({@code !pattern}) let in. */
final class DockerIgnore {

    private DockerIgnore() {}

    static List<String> patterns(String text) {
        List<String> patterns = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                patterns.add(trimmed);
            }
        }
        return patterns;
    }

    /** The re-included paths, without their {@code !}. */
    static List<String> exceptions(String text) {
        return patterns(text).stream()
                .filter(p -> p.startsWith("!"))
                .map(p -> p.substring(1))
                .toList();
    }

    /** Whether a re-included path (a file, or a directory ending in {@code /}) covers a COPY source. */
    static boolean covers(String exception, String source) {
        String dir = exception.endsWith("/") ? exception : exception + "/";
        return source.equals(exception) || source.startsWith(dir) || source.equals(exception.replaceAll("/$", ""));
    }
}
