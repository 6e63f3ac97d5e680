package io.streamingpipeline.localstack.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running an engine's main class from a directory of jars: started with the same {@code java} as
 * this JVM, its stdout and stderr appended to a file, stopped by its PID only (SIGTERM, a grace period, then
 * SIGKILL; its descendants too). A shutdown hook stops it if this JVM exits first, and (unless switched off) the
 * child exits by itself when this JVM is gone, even after a {@code kill -9}; see {@link ExitWithParent}.
 */
public final class JavaProcess {

    /** Grace period of the shutdown hook: how long this JVM's exit waits for the child's clean shutdown. */
    private static final Duration SHUTDOWN_HOOK_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path output;
    private final Thread shutdownHook;

    private JavaProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.shutdownHook = new Thread(() -> stopNow(SHUTDOWN_HOOK_GRACE), "stop-" + name + "-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A child JVM that will run {@code mainClass}. */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /** The {@code java} launcher of the running JVM (java.home, else this process's command, else JAVA_HOME). */
    public static Path javaExecutable() {
        String exe = File.separatorChar == '\\' ? "java.exe" : "java";
        Path fromHome = Path.of(System.getProperty("java.home"), "bin", exe);
        if (Files.isExecutable(fromHome)) {
            return fromHome;
        }
        Optional<String> command = ProcessHandle.current().info().command();
        if (command.isPresent() && Files.isExecutable(Path.of(command.get()))) {
            return Path.of(command.get());
        }
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && Files.isExecutable(Path.of(javaHome, "bin", exe))) {
            return Path.of(javaHome, "bin", exe);
        }
        return Path.of(exe);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** The file that receives the child's stdout and stderr. */
    public Path output() {
        return output;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, once the process has exited. */
    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** Completes when the process has exited. */
    public CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Waits up to {@code timeout} for the process to exit by itself; true if it has. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /**
     * Clean stop: SIGTERM, wait up to {@code grace} for the exit, then SIGKILL (the process and its descendants).
     * Returns true if it exited within the grace period. Idempotent.
     */
    public boolean stop(Duration grace) {
        boolean clean = stopNow(grace);
        removeShutdownHook();
        return clean;
    }

    /** SIGKILL (kill -9) of the process and its descendants, and wait for the exit. For fault tests. */
    public synchronized void kill() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit(Duration.ofSeconds(30));
        removeShutdownHook();
    }

    private synchronized boolean stopNow(Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        boolean clean = waitFor(grace);
        if (!clean) {
            process.destroyForcibly();
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            awaitExit(Duration.ofSeconds(30));
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return clean;
    }

    private void awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new IllegalStateException(name + " (pid " + pid() + ") did not exit after SIGKILL within " + timeout);
        }
    }

    private void removeShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running or about to: nothing to remove
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid() + (isAlive() ? ", running)" : ", exited " + process.exitValue() + ")");
    }

    /** How to start a child JVM. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> classpath = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private String name;
        private Path workingDirectory;
        private Path output;
        private Path bootstrapDirectory;
        private boolean exitWithParent = true;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
            this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        }

        /** For messages and thread names ("kafka"). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** All jars of {@code dir} ({@code dir/*}). */
        public Builder jarsIn(Path dir) {
            classpath.add(dir.toAbsolutePath() + File.separator + "*");
            return this;
        }

        /** One jar or class directory. */
        public Builder classpathEntry(Path entry) {
            classpath.add(entry.toAbsolutePath().toString());
            return this;
        }

        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        public Builder systemProperty(String key, String value) {
            systemProperties.put(key, value);
            return this;
        }

        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder args(String... arguments) {
            args.addAll(List.of(arguments));
            return this;
        }

        /** Working directory of the child; also where its helper class is placed unless {@link #bootstrapDirectory}. */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir;
            return this;
        }

        /** The file that receives stdout and stderr (appended). Default: discarded. */
        public Builder output(Path file) {
            this.output = file;
            return this;
        }

        /** Where the {@link ExitWithParent} class file is written for the child (default: working directory). */
        public Builder bootstrapDirectory(Path dir) {
            this.bootstrapDirectory = dir;
            return this;
        }

        /** Whether the child exits when this JVM is gone (default true). */
        public Builder exitWithParent(boolean exit) {
            this.exitWithParent = exit;
            return this;
        }

        /** The full command line that {@link #start()} runs. */
        public List<String> command() {
            List<String> command = new ArrayList<>();
            command.add(javaExecutable().toString());
            command.addAll(jvmOptions);
            systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            List<String> cp = new ArrayList<>(classpath);
            if (exitWithParent) {
                cp.add(0, bootstrapClasses().toString());
            }
            command.add("-cp");
            command.add(String.join(File.pathSeparator, cp));
            if (exitWithParent) {
                command.add(ExitWithParent.class.getName());
                command.add(Long.toString(ProcessHandle.current().pid()));
            }
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        public JavaProcess start() {
            if (exitWithParent) {
                writeExitWithParentClass();
            }
            ProcessBuilder builder = new ProcessBuilder(command());
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().putAll(environment);
            builder.redirectErrorStream(true);
            builder.redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            builder.redirectOutput(
                    output == null
                            ? ProcessBuilder.Redirect.DISCARD
                            : ProcessBuilder.Redirect.appendTo(output.toFile()));
            try {
                if (output != null) {
                    Files.createDirectories(output.toAbsolutePath().getParent());
                }
                return new JavaProcess(name, builder.start(), output);
            } catch (IOException e) {
                throw new EngineStartException("Could not start " + name + ": " + builder.command(), e);
            }
        }

        private Path bootstrapClasses() {
            Path base = bootstrapDirectory != null
                    ? bootstrapDirectory
                    : workingDirectory != null ? workingDirectory : Path.of(System.getProperty("java.io.tmpdir"));
            return base.toAbsolutePath().resolve(".local-stack-classes");
        }

        private void writeExitWithParentClass() {
            String resource = ExitWithParent.class.getName().replace('.', '/') + ".class";
            Path target = bootstrapClasses().resolve(resource);
            try (InputStream in = ExitWithParent.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Class file not found on the classpath: " + resource);
                }
                Files.createDirectories(target.getParent());
                Path tmp = Files.createTempFile(target.getParent(), "ExitWithParent", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not write " + target, e);
            }
        }

        private static File nullFile() {
            return new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");
        }
    }
}
