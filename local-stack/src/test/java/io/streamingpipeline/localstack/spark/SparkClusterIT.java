package io.streamingpipeline.localstack.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The shared cluster of this test JVM ({@link SharedSpark}) running a tiny application compiled by the test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkClusterIT {

    @TempDir
    static Path tempDir;

    private SparkCluster cluster;
    private Path jobJar;

    @BeforeAll
    void startCluster() throws IOException {
        cluster = SharedSpark.get();
        System.out.printf(
                "master ready in %d ms (RSS %d MiB), worker registered %d ms later (RSS %d MiB)%n",
                cluster.masterStartDuration().toMillis(),
                rssMiB(cluster.masterPid()),
                cluster.workerStartDuration().toMillis(),
                rssMiB(cluster.workerPid()));
        jobJar = SmokeJobJar.build(tempDir.resolve("smoke"));
    }

    @Test
    void masterListsTheWorkerAliveWithItsCores() {
        MasterStatus status = cluster.status();

        assertThat(status.masterState()).isEqualTo("ALIVE");
        assertThat(status.aliveWorkers()).isEqualTo(1);
        assertThat(status.cores()).isEqualTo(2);
        assertThat(cluster.masterUrl()).isEqualTo("spark://127.0.0.1:" + cluster.masterPort());
        assertThat(cluster.webUiUrl()).startsWith("http://127.0.0.1:");
        assertThat(cluster.sparkHome().resolve("jars/spark-core_2.12-3.5.7.jar"))
                .isRegularFile();
        assertThat(cluster.isRunning()).isTrue();
    }

    @Test
    void submittedApplicationRunsOnTheExecutorsAndSucceeds() throws Exception {
        Path result = tempDir.resolve("result-ok.txt");
        long started = System.nanoTime();
        SparkDriver driver = cluster.submit(SparkSubmission.builder(SmokeJobJar.MAIN_CLASS, jobJar)
                .name("it-smoke-ok")
                .executorMemory("512m")
                .args(result.toString())
                .build());

        int exit = driver.awaitExit(Duration.ofMinutes(3));
        System.out.printf(
                "smoke application: submit to exit %d ms, driver log %s%n",
                (System.nanoTime() - started) / 1_000_000, driver.logFile());

        assertThat(exit).as("driver exit code; log:%n%s", driver.logTail(60)).isZero();
        assertThat(Files.readString(result))
                .startsWith("sum=500000500000 count=1000000 app=app-")
                .endsWith("master=" + cluster.masterUrl());
        String appId = driver.applicationId().orElseThrow();
        assertThat(Files.readString(result)).contains("app=" + appId + " ");
        assertThat(cluster.status().completedApps()).anySatisfy(a -> {
            assertThat(a.id()).isEqualTo(appId);
            assertThat(a.name()).isEqualTo("it-smoke-ok");
            assertThat(a.state()).isEqualTo("FINISHED");
        });
        assertThat(cluster.workerWorkDir().resolve(appId)).isDirectory();
    }

    @Test
    void killingTheDriverEndsItsApplicationAndExecutors() throws Exception {
        Path result = tempDir.resolve("result-kill.txt");
        SparkDriver driver = cluster.submit(SparkSubmission.builder(SmokeJobJar.MAIN_CLASS, jobJar)
                .name("it-smoke-kill")
                .executorMemory("512m")
                .args(result.toString(), "600")
                .build());
        try {
            awaitTrue(Duration.ofMinutes(3), () -> Files.exists(result) || !driver.isAlive());
            assertThat(driver.isAlive())
                    .as("driver alive; log:%n%s", driver.logTail(60))
                    .isTrue();
            assertThat(cluster.status().activeApp("it-smoke-kill")).isPresent();
            assertThat(cluster.executorProcesses()).isNotEmpty();
            System.out.printf(
                    "driver RSS %d MiB, executor RSS %d MiB%n",
                    rssMiB(driver.pid()),
                    rssMiB(cluster.executorProcesses().get(0).pid()));

            driver.kill();
            long killed = System.nanoTime();

            awaitTrue(
                    Duration.ofSeconds(60),
                    () -> cluster.executorProcesses().isEmpty()
                            && cluster.status().activeApp("it-smoke-kill").isEmpty());
            System.out.printf(
                    "after the driver's kill -9: application removed and executors gone in %d ms%n",
                    (System.nanoTime() - killed) / 1_000_000);
            assertThat(cluster.status().completedApps()).anySatisfy(a -> {
                assertThat(a.name()).isEqualTo("it-smoke-kill");
                assertThat(a.state()).isIn("FINISHED", "KILLED");
            });
            assertThat(cluster.status().coresUsed()).isZero();
        } finally {
            driver.kill();
        }
    }

    @Test
    void aMissingJobJarIsRejectedBeforeAnythingStarts() {
        assertThatThrownBy(() -> SparkSubmission.builder("x.Main", tempDir.resolve("no-such.jar"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such.jar");
    }

    private static void awaitTrue(Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(250);
        }
    }

    static long rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
