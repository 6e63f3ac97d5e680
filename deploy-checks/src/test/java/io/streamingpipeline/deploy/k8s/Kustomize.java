package io.streamingpipeline.deploy.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code kubectl kustomize <dir>} (the kustomize built into kubectl, offline) and caches the output per directory.
 * Without kubectl the tests that need it are skipped with a message, except under {@code CI=true}, where a missing
 * kubectl is a failure: CI must install it ({@code .ci/run}).
 */
final class Kustomize {

    /** The kustomizations of {@code k8s/}, each built and checked. */
    static final List<String> DIRECTORIES = List.of("base", "overlays/dev", "overlays/prod", "overlays/dev-airflow");

    private static final Map<Path, String> OUTPUT = new ConcurrentHashMap<>();

    private Kustomize() {}

    /** The repository root: {@code -Drepo.root} (set by the POM), else the first parent of the working directory with {@code k8s/}. */
    static Path repoRoot() {
        String property = System.getProperty("repo.root");
        if (property != null && !property.isBlank() && Files.isDirectory(Path.of(property, "k8s"))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("k8s")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory with k8s/ and pom.xml)");
    }

    static Path k8s(String relative) {
        return repoRoot().resolve("k8s").resolve(relative);
    }

    /** {@code KUBECTL} if set, else {@code kubectl} on the PATH. */
    static Optional<Path> kubectl() {
        String explicit = System.getenv("KUBECTL");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit)).filter(Files::isExecutable);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** kubectl, or skip the test (fail under CI=true). */
    static Path requireKubectl() {
        Optional<Path> kubectl = kubectl();
        if (kubectl.isEmpty()) {
            String explicit = System.getenv("KUBECTL");
            String message = (explicit == null || explicit.isBlank()
                            ? "kubectl is not on the PATH"
                            : "KUBECTL=" + explicit + " is not an executable")
                    + ": the Kubernetes manifests in k8s/ are not "
                    + "built. Install kubectl (>= 1.27: its built-in kustomize v5 knows components and labels) to run "
                    + "these checks.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + " CI=true: .ci/run must install it.");
            }
            Assumptions.abort(message + " Skipped (outside CI).");
        }
        return kubectl.get();
    }

    /** The rendered YAML of {@code k8s/<relative>}; fails with kustomize's message when it does not build. */
    static String build(String relative) {
        return build(k8s(relative));
    }

    static String build(Path dir) {
        Path kubectl = requireKubectl();
        return OUTPUT.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> run(kubectl, d));
    }

    private static String run(Path kubectl, Path dir) {
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(kubectl.toString(), "kustomize", dir.toString())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120 s");
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + dir + " failed (exit " + process.exitValue()
                            + "):\n" + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + kubectl + " kustomize " + dir + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
