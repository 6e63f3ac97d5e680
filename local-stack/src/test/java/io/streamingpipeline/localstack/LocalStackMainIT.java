package io.streamingpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.localstack.process.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged CLI, launched as users do: {@code java -jar target/local-stack-<version>.jar kafka ...}. */
class LocalStackMainIT {

    private static final Pattern READY =
            Pattern.compile("KAFKA READY bootstrap=(127\\.0\\.0\\.1:\\d+) pid=(\\d+) log=(\\S+) .*");

    @TempDir
    Path tempDir;

    @Test
    void startsBrokerWithContractTopicsAndStopsItOnSigterm() throws Exception {
        Path dataDir = tempDir.resolve("kafka");
        Cli cli = Cli.start("kafka", "--data-dir", dataDir.toString());
        try {
            Matcher ready = cli.awaitReady();
            String bootstrap = ready.group(1);
            long brokerPid = Long.parseLong(ready.group(2));
            assertThat(Path.of(ready.group(3)))
                    .isEqualTo(dataDir.resolve("kafka.log").toAbsolutePath());
            assertThat(Files.readString(dataDir.resolve("kafka.log"))).contains("Kafka Server started");

            try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                var topics = admin.describeTopics(List.of("crypto_trades", "crypto_trades_dlq"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                assertThat(topics.get("crypto_trades").partitions()).hasSize(3);
                assertThat(topics.get("crypto_trades_dlq").partitions()).hasSize(1);
            }

            // SIGTERM, as kill / docker stop would (through the handle: Process.destroy() also closes our pipe)
            cli.process.toHandle().destroy();
            assertThat(cli.awaitExit()).as("the JVM's exit code after SIGTERM").isEqualTo(143);
            assertThat(cli.lines).contains("KAFKA STOPPED pid=" + brokerPid); // not "forced"
            assertThat(cli.lines).noneMatch(l -> l.startsWith("KAFKA EXITED") || l.startsWith("KAFKA FAILED"));
            assertThat(isAlive(brokerPid)).isFalse();
        } finally {
            cli.destroy();
        }
    }

    @Test
    void brokerExitsByItselfWhenTheCliIsKilled() throws Exception {
        Path dataDir = tempDir.resolve("orphan");
        Cli cli = Cli.start("kafka", "--data-dir", dataDir.toString(), "--topics", "it-cli:2");
        long brokerPid = -1;
        try {
            Matcher ready = cli.awaitReady();
            brokerPid = Long.parseLong(ready.group(2));
            try (Admin admin =
                    Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ready.group(1)))) {
                TopicDescription d = admin.describeTopics(List.of("it-cli"))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get("it-cli");
                assertThat(d.partitions()).hasSize(2);
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("crypto_trades");
            }

            cli.process.destroyForcibly(); // kill -9: the CLI's shutdown hook never runs
            assertThat(cli.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Optional<ProcessHandle> broker = ProcessHandle.of(brokerPid);
            if (broker.isPresent()) {
                broker.get().onExit().get(60, TimeUnit.SECONDS);
            }
            assertThat(isAlive(brokerPid))
                    .as("broker %d is no orphan", brokerPid)
                    .isFalse();
        } finally {
            cli.destroy();
            if (brokerPid > 0) {
                ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void wrongCommandLineExitsWith2() throws Exception {
        Cli cli = Cli.start("kafka", "--port", "70000", "--data-dir", tempDir.toString());
        try {
            assertThat(cli.awaitExit()).isEqualTo(2);
            assertThat(cli.lines).anyMatch(l -> l.contains("not a port number: 70000"));
        } finally {
            cli.destroy();
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The CLI as a child process, its stdout+stderr collected line by line. */
    private static final class Cli {
        final Process process;
        final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final Thread reader;

        private Cli(Process process) {
            this.process = process;
            reader = new Thread(
                    () -> {
                        try (BufferedReader in = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = in.readLine()) != null) {
                                lines.add(line);
                                queue.add(line);
                            }
                        } catch (Exception ignored) {
                            // process gone
                        }
                    },
                    "cli-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Cli start(String... args) throws Exception {
            String jar = System.getProperty("localstack.cli.jar");
            assertThat(jar)
                    .as("system property localstack.cli.jar (set by the failsafe configuration)")
                    .isNotNull();
            List<String> command =
                    new ArrayList<>(List.of(JavaProcess.javaExecutable().toString(), "-jar", jar));
            command.addAll(List.of(args));
            return new Cli(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        /** Waits for the exit and for the last line of output. */
        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("CLI exited").isTrue();
            reader.join(10_000);
            return process.exitValue();
        }

        Matcher awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                String line = queue.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    assertThat(process.isAlive())
                            .as("CLI still running; output so far: %s", lines)
                            .isTrue();
                    continue;
                }
                Matcher m = READY.matcher(line);
                if (m.matches()) {
                    return m;
                }
            }
            throw new AssertionError("No KAFKA READY line within 120 s; output: " + lines);
        }

        void destroy() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(40, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
