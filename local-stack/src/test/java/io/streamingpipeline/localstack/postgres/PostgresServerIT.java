package io.streamingpipeline.localstack.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.localstack.process.JavaProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerIT {

    @TempDir
    Path dir;

    @Test
    void stopEndsTheServerAndItsWatcher() throws Exception {
        PostgresServer server = PostgresServer.start(dir.resolve("pgdata"));
        long pid = server.pid();
        Optional<ProcessHandle> watcher = watcherOf(pid);
        try {
            assertThat(ProcessHandle.of(pid))
                    .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            server.createDatabase("it_ops", "it_user", "it-password");
            try (Connection c = server.superuserConnection("it_ops");
                    ResultSet r = c.createStatement().executeQuery("SELECT current_database()")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("it_ops");
            }
            assertThat(watcher).as("the watcher").isPresent();
        } finally {
            server.stop();
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(watcher.orElseThrow().onExit().get(10, TimeUnit.SECONDS).isAlive())
                .isFalse();
    }

    /** A kill -9 runs no shutdown hook: the watcher stops the server, and the data dir starts again. */
    @Test
    void aKilledOwnerLeavesNoServerBehind() throws Exception {
        Path data = dir.resolve("pgdata-killed");
        Process holder = new ProcessBuilder(
                        JavaProcess.javaExecutable().toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PostgresHolderMain.class.getName(),
                        data.toString())
                .redirectErrorStream(true)
                .start();
        long serverPid = -1;
        try {
            serverPid = CompletableFuture.supplyAsync(() -> readPid(holder)).get(90, TimeUnit.SECONDS);
            ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
            assertThat(server.parent().map(ProcessHandle::pid))
                    .as("not a child of the killed JVM")
                    .isNotEqualTo(Optional.of(holder.pid()));

            holder.destroyForcibly(); // SIGKILL of the owner alone, as kill -9 <pid> does
            holder.waitFor(30, TimeUnit.SECONDS);

            assertThat(server.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
            PostgresServer again = PostgresServer.start(data);
            try {
                assertThat(again.pid()).isNotEqualTo(serverPid);
            } finally {
                again.stop();
            }
        } finally {
            holder.destroyForcibly();
            if (serverPid > 0) {
                ProcessHandle.of(serverPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** This JVM's child process that watches the server {@code pid} (see PostgresServer). */
    private static Optional<ProcessHandle> watcherOf(long pid) {
        String command = "kill -INT " + pid;
        return ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info()
                        .arguments()
                        .map(args -> String.join(" ", args).contains(command))
                        .orElse(false))
                .findFirst();
    }

    private static long readPid(Process holder) {
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PID ")) {
                    return Long.parseLong(line.substring(4).strip());
                }
                seen.append(line).append('\n');
            }
            throw new IllegalStateException("the holder exited without a PID line:\n" + seen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
