package io.streamingpipeline.localstack.spark;

import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.JavaProcess;
import io.streamingpipeline.localstack.process.LogTail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The master and worker JVMs of a {@link SparkCluster}: started in order from its {@code SPARK_HOME}, each awaited on
 * the master's status page, killed if the start fails, stopped with SIGTERM then SIGKILL.
 */
final class SparkDaemons {

    private static final String HOST = FreePorts.HOST;
    private static final String SCALA_VERSION = "2.12";
    private static final int LOG_LINES_IN_ERRORS = 40;

    private final SparkCluster cluster;

    private volatile JavaProcess master;
    private volatile JavaProcess worker;
    private volatile Duration masterStartDuration = Duration.ZERO;
    private volatile Duration workerStartDuration = Duration.ZERO;

    SparkDaemons(SparkCluster cluster) {
        this.cluster = cluster;
    }

    JavaProcess master() {
        return master;
    }

    JavaProcess worker() {
        return worker;
    }

    Duration masterStartDuration() {
        return masterStartDuration;
    }

    Duration workerStartDuration() {
        return workerStartDuration;
    }

    /** The master, then the worker; returns once the master lists the worker as ALIVE. */
    synchronized void start() {
        long started = System.nanoTime();
        JavaProcess.Builder masterProcess = sparkProcess("org.apache.spark.deploy.master.Master", "spark-master");
        if (cluster.ports().rest() != 0) {
            masterProcess
                    .systemProperty("spark.master.rest.enabled", "true")
                    .systemProperty(
                            "spark.master.rest.port",
                            Integer.toString(cluster.ports().rest()));
        }
        master = masterProcess
                .jvmOptions("-Xmx" + cluster.daemonHeap())
                .workingDirectory(cluster.dataDir())
                .output(cluster.masterLog())
                .args(
                        "--host",
                        HOST,
                        "--port",
                        Integer.toString(cluster.masterPort()),
                        "--webui-port",
                        Integer.toString(cluster.webUiPort()))
                .start();
        try {
            awaitStatus(started, "the master's status page did not say ALIVE", s -> "ALIVE".equals(s.masterState()));
            masterStartDuration = Duration.ofNanos(System.nanoTime() - started);

            long workerStarted = System.nanoTime();
            worker = sparkProcess("org.apache.spark.deploy.worker.Worker", "spark-worker")
                    .jvmOptions("-Xmx" + cluster.daemonHeap())
                    .workingDirectory(cluster.dataDir())
                    .output(cluster.workerLog())
                    .args(
                            "--host",
                            HOST,
                            "--port",
                            Integer.toString(cluster.ports().worker()),
                            "--webui-port",
                            Integer.toString(cluster.ports().workerWebUi()),
                            "--cores",
                            Integer.toString(cluster.workerCores()),
                            "--memory",
                            cluster.workerMemory(),
                            "--work-dir",
                            cluster.workerWorkDir().toString(),
                            cluster.masterUrl())
                    .start();
            awaitStatus(started, "the worker did not register with the master", s -> s.aliveWorkers() >= 1);
            workerStartDuration = Duration.ofNanos(System.nanoTime() - workerStarted);
        } catch (RuntimeException e) {
            if (worker != null) {
                worker.kill();
            }
            master.kill();
            throw e;
        }
    }

    /** Worker (and with it any executor), then master: SIGTERM, 20 s, then SIGKILL. */
    void stop() {
        JavaProcess w = worker;
        JavaProcess m = master;
        if (w != null) {
            w.stop(Duration.ofSeconds(20));
        }
        if (m != null) {
            m.stop(Duration.ofSeconds(20));
        }
    }

    /** A child JVM running a Spark main class from this cluster's SPARK_HOME, with its environment. */
    JavaProcess.Builder sparkProcess(String mainClass, String name) {
        Path sparkHome = cluster.sparkHome();
        return JavaProcess.builder(mainClass)
                .name(name)
                .classpathEntry(sparkHome.resolve("conf"))
                .jarsIn(sparkHome.resolve("jars"))
                .jvmOptions(SparkCluster.JDK17_OPTIONS)
                .systemProperty("spark.local.dir", cluster.localDir().toString())
                .systemProperty("java.awt.headless", "true")
                .environment("SPARK_HOME", sparkHome.toString())
                .environment("SPARK_CONF_DIR", sparkHome.resolve("conf").toString())
                .environment("SPARK_SCALA_VERSION", SCALA_VERSION)
                .environment("SPARK_LOCAL_IP", HOST)
                .environment(
                        "JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
    }

    private void awaitStatus(long started, String what, Predicate<MasterStatus> ready) {
        Duration startTimeout = cluster.startTimeout();
        long deadline = started + startTimeout.toNanos();
        while (true) {
            checkAlive(master, cluster.masterLog());
            if (worker != null) {
                checkAlive(worker, cluster.workerLog());
            }
            Optional<MasterStatus> status = cluster.status(Duration.ofSeconds(2));
            if (status.isPresent() && ready.test(status.get())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new EngineStartException("Spark cluster did not become ready within " + startTimeout.toSeconds()
                        + " s: " + what + LogTail.section(cluster.masterLog(), LOG_LINES_IN_ERRORS)
                        + LogTail.section(cluster.workerLog(), LOG_LINES_IN_ERRORS));
            }
            sleep(250);
        }
    }

    private static void checkAlive(JavaProcess process, Path log) {
        if (!process.isAlive()) {
            throw new EngineStartException(process.name() + " (pid " + process.pid() + ") exited with code "
                    + process.exitCode().orElse(-1) + " while starting" + LogTail.section(log, LOG_LINES_IN_ERRORS));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("Interrupted while waiting for the Spark cluster", e);
        }
    }
}
