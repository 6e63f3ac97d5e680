package io.streamingpipeline.localstack.ingestor;

import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.JavaProcess;
import io.streamingpipeline.localstack.process.LogTail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged ingestor ({@code ingestor/target/quarkus-app}) as a child JVM, run as a user runs it: configured by
 * environment variables, stopped by SIGTERM. Its console output goes to a log file.
 */
public final class IngestorProcess implements AutoCloseable {

    /** Quarkus' fast-jar entry point; it finds the application next to its own jar. */
    private static final String ENTRY_POINT = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final JavaProcess process;
    private final int httpPort;
    private final Duration startDuration;

    private IngestorProcess(JavaProcess process, int httpPort, Duration startDuration) {
        this.process = process;
        this.httpPort = httpPort;
        this.startDuration = startDuration;
    }

    /** @param appDir the {@code quarkus-app} directory of a packaged ingestor */
    public static Builder builder(Path appDir) {
        return new Builder(appDir);
    }

    public int httpPort() {
        return httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path logFile() {
        return process.output();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** From start to {@code /q/health/live} answering. */
    public Duration startDuration() {
        return startDuration;
    }

    /** HTTP status of GET {@code path}, or -1 when the ingestor does not answer. */
    public int status(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String get(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " on the ingestor failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public PrometheusText metrics() {
        return new PrometheusText(get("/q/metrics"));
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    /** Resident memory of the ingestor's JVM in MiB (Linux), or -1. */
    public long rssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** SIGTERM, as Docker and Kubernetes stop it; waits for the exit and returns its code. */
    public int terminate(Duration timeout) {
        if (!process.stop(timeout)) {
            throw new IllegalStateException(
                    "The ingestor did not stop within " + timeout + " of SIGTERM; killed.\n" + logTail(40));
        }
        return process.exitCode().orElse(-1);
    }

    public void kill() {
        process.kill();
    }

    public String log() {
        try {
            return Files.readString(process.output());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail(int lines) {
        return LogTail.of(process.output(), lines);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(40));
    }

    /** How to start an {@link IngestorProcess}. */
    public static final class Builder {
        private final Path appDir;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx512m"));
        private int httpPort;
        private Path log;
        private Duration startTimeout = Duration.ofSeconds(90);

        private Builder(Path appDir) {
            this.appDir = appDir;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> values) {
            env.putAll(values);
            return this;
        }

        /** 0 (default) picks a free port. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        public Builder log(Path file) {
            this.log = file;
            return this;
        }

        public Builder jvmOptions(String... options) {
            jvmOptions.clear();
            jvmOptions.addAll(List.of(options));
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** Starts the ingestor and waits until {@code /q/health/live} answers (readiness may still be DOWN). */
        public IngestorProcess start() {
            Path runner = appDir.resolve("quarkus-run.jar");
            if (!Files.exists(runner)) {
                throw new EngineStartException("The packaged ingestor is missing: " + runner
                        + ". Build it with ./mvnw -pl ingestor -am package -DskipTests.");
            }
            int port = httpPort == 0 ? FreePorts.pick() : httpPort;
            if (httpPort != 0) {
                FreePorts.requireFree(httpPort, "the ingestor's HTTP port");
            }
            Path output = log != null ? log : appDir.getParent().resolve("ingestor-" + port + ".log");
            JavaProcess.Builder pb = JavaProcess.builder(ENTRY_POINT)
                    .name("ingestor")
                    .classpathEntry(runner.toAbsolutePath())
                    .jvmOptions(jvmOptions)
                    .environment("QUARKUS_HTTP_HOST", "127.0.0.1")
                    .environment("QUARKUS_HTTP_PORT", Integer.toString(port))
                    .bootstrapDirectory(output.toAbsolutePath().getParent())
                    .output(output);
            env.forEach(pb::environment);
            long started = System.nanoTime();
            JavaProcess process = pb.start();
            IngestorProcess ingestor = new IngestorProcess(process, port, Duration.ZERO);
            long deadline = started + startTimeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new EngineStartException("The ingestor exited with "
                            + process.exitCode().orElse(-1) + " while starting:\n" + LogTail.of(output, 40));
                }
                if (ingestor.status("/q/health/live") == 200) {
                    return new IngestorProcess(process, port, Duration.ofNanos(System.nanoTime() - started));
                }
                sleep(100);
            }
            process.kill();
            throw new EngineStartException(
                    "The ingestor was not live within " + startTimeout + ":\n" + LogTail.of(output, 40));
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
