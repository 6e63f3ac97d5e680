package io.streamingpipeline.deploy.compose;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A command-line tool on the PATH (docker-compose, dockerfile-utils), run with a timeout, output captured. */
public final class ExternalTool {

    private final String name;
    private final Path executable;

    private ExternalTool(String name, Path executable) {
        this.name = name;
        this.executable = executable;
    }

    /** The tool if it is on the PATH. */
    public static Optional<ExternalTool> find(String name) {
        String pathVariable = System.getenv("PATH");
        if (pathVariable == null) {
            return Optional.empty();
        }
        for (String dir : pathVariable.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new ExternalTool(name, candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * The tool, or a skip (locally) / failure (CI=true) naming how to install it.
     */
    public static ExternalTool require(String name, String installHint) {
        Optional<ExternalTool> tool = find(name);
        Repo.require(tool.isPresent(), name + " is not on the PATH; install it: " + installHint);
        return tool.orElseThrow();
    }

    /** Exit code and the interleaved stdout + stderr. */
    public record Result(int exitCode, String output) {}

    /** Runs the tool; {@code environment} adds variables, or removes those whose value is null. */
    public Result run(Path workingDirectory, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile(name, ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(workingDirectory.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                environment.forEach((key, value) -> {
                    if (value == null) {
                        builder.environment().remove(key);
                    } else {
                        builder.environment().put(key, value);
                    }
                });
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(name + " did not finish within 120 s: " + command);
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
