package io.streamingpipeline.airflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * pytest on Debian's python3 ({@code /usr/bin/python3}, else the first {@code python3} on the PATH) with the
 * module's directory as working directory. Without python3 or pytest the tests that need it are skipped with a
 * message, except under {@code CI=true}, where that is a failure ({@code .ci/run} installs {@code python3-pytest}).
 */
final class Pytest {

    static final String INSTALL = "apt-get install -y python3-pytest";

    private final Path python;

    private Pytest(Path python) {
        this.python = python;
    }

    /** Exit code and the interleaved stdout + stderr. */
    record Result(int exitCode, String output) {}

    static Pytest require() {
        Path python = findPython();
        boolean found = python != null
                && run(python, List.of("-c", "import pytest"), Map.of(), 60).exitCode() == 0;
        if (!found) {
            String message = (python == null ? "python3 is not installed" : python + " has no pytest")
                    + ": the Airflow DAG tests (airflow/tests) do not run. Install it: " + INSTALL;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message + " (CI=true: required)");
            }
            Assumptions.abort(message);
        }
        return new Pytest(python);
    }

    /** {@code python3 -m pytest <args>} with {@code environment} added. */
    Result run(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of("-m", "pytest", "-p", "no:cacheprovider"));
        command.addAll(List.of(args));
        return run(python, command, environment, 600);
    }

    private static Path findPython() {
        Path debian = Path.of("/usr/bin/python3");
        if (Files.isExecutable(debian)) {
            return debian;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "python3");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Result run(Path python, List<String> args, Map<String, String> environment, int timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(python.toString());
        command.addAll(args);
        try {
            Path output = Files.createTempFile("pytest", ".out");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
                builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
                builder.environment().putAll(environment);
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }
}
