package io.streamingpipeline.deploy.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The repository the tests check: its root, its files as text, and whether we run under CI. */
public final class Repo {

    private Repo() {}

    /** {@code repo.root} (set by the POM), else the first parent directory holding {@code compose/compose.yaml}. */
    public static Path root() {
        String configured = System.getProperty("repo.root");
        if (configured != null && Files.isRegularFile(Path.of(configured, "compose", "compose.yaml"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("compose/compose.yaml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root (compose/compose.yaml) from "
                + Path.of("").toAbsolutePath());
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }

    /** CI sets {@code CI=true}: there a missing tool or build artifact is a failure, not a skip. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * For something only a build or an installed tool provides: fails under CI, skips (with the message) elsewhere.
     */
    public static void require(boolean available, String message) {
        if (available) {
            return;
        }
        if (underCi()) {
            Assertions.fail(message + " (CI=true: required)");
        }
        Assumptions.abort(message);
    }
}
