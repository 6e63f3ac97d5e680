package io.streamingpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.localstack.process.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged CLI's {@code cassandra} and {@code spark} commands, both at once, as users run them. */
class LocalStackEnginesCliIT {

    private static final Pattern CASSANDRA_READY = Pattern.compile(
            "CASSANDRA READY contact=127\\.0\\.0\\.1:(\\d+) user=(\\S+) pid=(\\d+) datacenter=datacenter1 log=(\\S+) .*");
    private static final Pattern SPARK_READY = Pattern.compile(
            "SPARK READY master=spark://127\\.0\\.0\\.1:(\\d+) ui=(http://127\\.0\\.0\\.1:\\d+) pids=(\\d+),(\\d+) .*");

    @TempDir
    Path tempDir;

    @Test
    void cassandraAndSparkCommandsPrintReadyServeAndStopOnSigterm() throws Exception {
        Cli cassandra = Cli.start(
                "cassandra",
                "--data-dir",
                tempDir.resolve("cassandra").toString(),
                "--user",
                "cli_app",
                "--password",
                "cli-pw");
        Cli spark =
                Cli.start("spark", "--data-dir", tempDir.resolve("spark").toString(), "--cores", "1", "--memory", "1g");
        try {
            Matcher sparkReady = spark.awaitLine(SPARK_READY, Duration.ofSeconds(120));
            String ui = sparkReady.group(2);
            long masterPid = Long.parseLong(sparkReady.group(3));
            long workerPid = Long.parseLong(sparkReady.group(4));
            HttpResponse<String> status = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(ui + "/json/")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(status.body())
                    .contains("\"aliveworkers\" : 1")
                    .contains("\"cores\" : 1")
                    .contains("\"url\" : \"spark://127.0.0.1:" + sparkReady.group(1) + "\"");

            Matcher cassandraReady = cassandra.awaitLine(CASSANDRA_READY, Duration.ofSeconds(180));
            int port = Integer.parseInt(cassandraReady.group(1));
            long nodePid = Long.parseLong(cassandraReady.group(3));
            assertThat(cassandraReady.group(2)).isEqualTo("cli_app");
            try (CqlSession session = CqlSession.builder()
                    .addContactPoint(new InetSocketAddress("127.0.0.1", port))
                    .withLocalDatacenter("datacenter1")
                    .withAuthCredentials("cli_app", "cli-pw")
                    .build()) {
                assertThat(session.execute("SELECT release_version FROM system.local")
                                .one()
                                .getString(0))
                        .startsWith("5.0.");
            }

            spark.process.toHandle().destroy(); // SIGTERM
            cassandra.process.toHandle().destroy();
            assertThat(spark.awaitExit()).isEqualTo(143);
            assertThat(cassandra.awaitExit()).isEqualTo(143);
            assertThat(spark.lines).contains("SPARK STOPPED pids=" + masterPid + "," + workerPid);
            assertThat(cassandra.lines).contains("CASSANDRA STOPPED pid=" + nodePid);
            for (long pid : List.of(masterPid, workerPid, nodePid)) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                        .as("pid %d", pid)
                        .isFalse();
            }
        } finally {
            spark.destroy();
            cassandra.destroy();
        }
    }

    /** A CLI run as a child process, its stdout+stderr collected line by line. */
    private static final class Cli {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
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

        Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = queue.poll(1, TimeUnit.SECONDS);
                if (line == null) {
                    assertThat(process.isAlive())
                            .as("CLI still running; output so far: %s", lines)
                            .isTrue();
                    continue;
                }
                Matcher m = pattern.matcher(line);
                if (m.matches()) {
                    return m;
                }
            }
            throw new AssertionError("No line matching " + pattern + " within " + timeout + "; output: " + lines);
        }

        int awaitExit() throws InterruptedException {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("CLI exited").isTrue();
            reader.join(10_000);
            return process.exitValue();
        }

        void destroy() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
