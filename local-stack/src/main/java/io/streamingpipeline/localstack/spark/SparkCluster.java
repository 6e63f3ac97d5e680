package io.streamingpipeline.localstack.spark;

import io.streamingpipeline.localstack.EngineLibraries;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.JavaProcess;
import io.streamingpipeline.localstack.process.PortInUseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real Spark 3.5 standalone cluster on 127.0.0.1: one master and one worker (2 cores, 2 GiB for executors by
 * default), child JVMs run from the jars of {@code local-stack/engines/spark}, and {@link #submit} to run applications
 * on it with {@code spark-submit} in client mode (the driver is a child JVM too, see {@link SparkDriver}).
 *
 * <pre>{@code
 * try (SparkCluster spark = SparkCluster.start(dir)) {
 *     SparkDriver driver = spark.submit(SparkSubmission.builder("io.example.Job", jar).build());
 *     driver.awaitExit(Duration.ofMinutes(2));
 * }
 * }</pre>
 *
 * <p>Everything lives in the data directory: {@code spark-home/} (a {@code SPARK_HOME}: {@code jars} links to the
 * engine's jars, {@code conf/log4j2.properties}), {@code master.log}, {@code worker.log}, {@code worker/} (the
 * worker's work dir: one directory per application with each executor's stdout and stderr), {@code local/} (Spark's
 * scratch space) and {@code drivers/} (one log file per submission).
 */
public final class SparkCluster implements AutoCloseable {

    /** Classpath location of {@link #JDK17_OPTIONS}: one option a line, {@code #} comments. */
    public static final String JDK17_OPTIONS_RESOURCE = "/spark/jdk17-options.txt";

    /**
     * What Spark 3.5 needs on JDK 17 (shared/versions.md): for the master, the worker, the driver and, through
     * {@code spark.executor.extraJavaOptions}, the executors. Read from {@link #JDK17_OPTIONS_RESOURCE}, the one list.
     */
    public static final List<String> JDK17_OPTIONS = jdk17Options();

    /** Name of the master's log file (its JVM's stdout/stderr) in the data directory. */
    public static final String MASTER_LOG = "master.log";
    /** Name of the worker's log file in the data directory. */
    public static final String WORKER_LOG = "worker.log";

    private static final String HOST = FreePorts.HOST;

    private final Path dataDir;
    private final Path libDir;
    private final SparkPorts ports;
    private final int workerCores;
    private final String workerMemory;
    private final String daemonHeap;
    private final Duration startTimeout;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger submissions = new AtomicInteger();
    private final SparkDaemons daemons = new SparkDaemons(this);

    private volatile Path sparkHome;

    private SparkCluster(Builder b, SparkPorts ports) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.libDir = b.libDir != null ? b.libDir : EngineLibraries.spark();
        this.ports = ports;
        this.workerCores = b.workerCores;
        this.workerMemory = b.workerMemory;
        this.daemonHeap = b.daemonHeap;
        this.startTimeout = b.startTimeout;
    }

    /** Starts master and worker on free ports with their files in {@code dataDir}; returns once the worker is registered. */
    public static SparkCluster start(Path dataDir) {
        return builder(dataDir).start();
    }

    /** To choose ports, the worker's cores and memory, or timeouts before {@link Builder#start()}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** {@code spark://127.0.0.1:<port>}. */
    public String masterUrl() {
        return "spark://" + HOST + ":" + ports.master();
    }

    /** The master's web UI, {@code http://127.0.0.1:<port>} ({@code /json/} is its machine-readable status). */
    public String webUiUrl() {
        return "http://" + HOST + ":" + ports.webUi();
    }

    /** The worker's web UI. */
    public String workerWebUiUrl() {
        return "http://" + HOST + ":" + ports.workerWebUi();
    }

    /**
     * The master's REST submission endpoint ({@code http://127.0.0.1:<port>}, Spark's {@code /v1/submissions/...}),
     * when the builder asked for it with {@link Builder#restSubmission()}.
     */
    public Optional<String> restUrl() {
        return ports.rest() == 0 ? Optional.empty() : Optional.of("http://" + HOST + ":" + ports.rest());
    }

    public int masterPort() {
        return ports.master();
    }

    public int webUiPort() {
        return ports.webUi();
    }

    public long masterPid() {
        return requireStarted(daemons.master()).pid();
    }

    public long workerPid() {
        return requireStarted(daemons.worker()).pid();
    }

    /** The {@code SPARK_HOME} the cluster runs from ({@code jars/} = the engine's jars). */
    public Path sparkHome() {
        return sparkHome;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path masterLog() {
        return dataDir.resolve(MASTER_LOG);
    }

    public Path workerLog() {
        return dataDir.resolve(WORKER_LOG);
    }

    /** The worker's work directory: {@code <app id>/<executor id>/stdout|stderr}. */
    public Path workerWorkDir() {
        return dataDir.resolve("worker");
    }

    public int workerCores() {
        return workerCores;
    }

    /** How long the master took to start (until its status page said ALIVE). */
    public Duration masterStartDuration() {
        return daemons.masterStartDuration();
    }

    /** How long the worker took to start (until the master listed it ALIVE). */
    public Duration workerStartDuration() {
        return daemons.workerStartDuration();
    }

    /** Whether master and worker are both running. */
    public boolean isRunning() {
        JavaProcess m = daemons.master();
        JavaProcess w = daemons.worker();
        return m != null && m.isAlive() && w != null && w.isAlive();
    }

    /** The JVMs of the worker's executors right now (child processes of the worker). */
    public List<ProcessHandle> executorProcesses() {
        JavaProcess w = daemons.worker();
        if (w == null) {
            return List.of();
        }
        return ProcessHandle.of(w.pid())
                .map(h -> h.descendants()
                        .filter(d -> d.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                        .toList())
                .orElse(List.of());
    }

    /** The master's view of the cluster, from its web UI's {@code /json/}. */
    public MasterStatus status() {
        return status(Duration.ofSeconds(10))
                .orElseThrow(() ->
                        new IllegalStateException("Spark master status page " + webUiUrl() + "/json/ did not answer"));
    }

    /**
     * Runs {@code spark-submit} in client mode against this cluster as a child JVM and returns at once (the driver is
     * still starting). Adds {@code spark.driver.host}/{@code bindAddress} 127.0.0.1, the JDK 17 options in
     * {@code spark.driver.extraJavaOptions} and {@code spark.executor.extraJavaOptions} (before any given ones), a free
     * {@code spark.ui.port} and {@code spark.local.dir} under the data dir, unless the submission sets them.
     */
    public SparkDriver submit(SparkSubmission submission) {
        if (!isRunning()) {
            throw new IllegalStateException("Spark cluster is not running: " + this);
        }
        int n = submissions.incrementAndGet();
        Path drivers = dataDir.resolve("drivers");
        Path logFile = submission.logFile() != null
                ? submission.logFile().toAbsolutePath()
                : drivers.resolve(submission.name() + "-" + n + ".log");
        mkdirs(drivers);
        List<String> args = SparkSubmitArguments.of(submission, masterUrl(), localDir());
        JavaProcess.Builder builder = daemons.sparkProcess(
                        "org.apache.spark.deploy.SparkSubmit", "spark-driver-" + submission.name())
                .jvmOptions("-Xmx" + submission.driverHeap())
                .jvmOptions(submission.driverJvmOptions())
                .workingDirectory(drivers)
                .output(logFile)
                .args(args.toArray(String[]::new));
        submission.environment().forEach(builder::environment);
        return new SparkDriver(submission, builder.start(), logFile);
    }

    /**
     * Stops worker (and with it any executor) and master: SIGTERM, 20 s, then SIGKILL. Keeps the data dir.
     * Running drivers are not stopped (they are the submitter's): stop them first.
     */
    public void stop() {
        daemons.stop();
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "SparkCluster[" + masterUrl() + ", ui " + webUiUrl() + ", "
                + (isRunning() ? "running pids " + masterPid() + "," + workerPid() : "stopped") + ", " + dataDir
                + "]";
    }

    // what SparkDaemons starts the master and worker with

    SparkPorts ports() {
        return ports;
    }

    String workerMemory() {
        return workerMemory;
    }

    String daemonHeap() {
        return daemonHeap;
    }

    Duration startTimeout() {
        return startTimeout;
    }

    /** Spark's scratch space ({@code spark.local.dir}) of the daemons and drivers. */
    Path localDir() {
        return dataDir.resolve("local");
    }

    Optional<MasterStatus> status(Duration timeout) {
        return MasterStatus.fetch(http, webUiUrl(), timeout);
    }

    private void launch() {
        ports.requireFree();
        sparkHome = SparkHome.create(dataDir.resolve("spark-home"), libDir);
        mkdirs(workerWorkDir());
        mkdirs(localDir());
        daemons.start();
    }

    private JavaProcess requireStarted(JavaProcess process) {
        if (process == null) {
            throw new IllegalStateException("Spark cluster in " + dataDir + " was never started");
        }
        return process;
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + dir, e);
        }
    }

    /** How to start a {@link SparkCluster}. */
    public static final class Builder {
        private final Path dataDir;
        private Path libDir;
        private int masterPort;
        private int webUiPort;
        private boolean restSubmission;
        private int workerCores = 2;
        private String workerMemory = "2g";
        private String daemonHeap = "256m";
        private Duration startTimeout = Duration.ofSeconds(120);

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** The master's RPC port ({@code spark://127.0.0.1:<port>}); 0 (default) picks a free one. */
        public Builder masterPort(int port) {
            this.masterPort = port;
            return this;
        }

        /** The master's web UI port; 0 (default) picks a free one. */
        public Builder webUiPort(int port) {
            this.webUiPort = port;
            return this;
        }

        /**
         * Turns on the master's REST submission endpoint ({@code spark.master.rest.enabled}) on a free port of
         * 127.0.0.1, as Compose and Kubernetes do for Airflow's batch submissions: {@link SparkCluster#restUrl()}.
         * It has no authentication; off by default.
         */
        public Builder restSubmission() {
            this.restSubmission = true;
            return this;
        }

        /**
         * Task slots for the pipeline's job: two per core of this machine. Chosen when the job ran two queries (with no
         * more slots than cores a trade micro-batch's tasks queued behind a candle batch's: bench/latency); kept with
         * one, as the job's tasks wait on Kafka and Cassandra much of the time and the OS shares the cores meanwhile.
         */
        public Builder workerCoresForPipeline() {
            return workerCores(2 * Runtime.getRuntime().availableProcessors());
        }

        /** Cores the worker offers to applications (default 2). */
        public Builder workerCores(int cores) {
            if (cores < 1) {
                throw new IllegalArgumentException("worker cores must be at least 1, was " + cores);
            }
            this.workerCores = cores;
            return this;
        }

        /** Memory the worker offers to executors, e.g. {@code 2g} (default). */
        public Builder workerMemory(String size) {
            this.workerMemory = size;
            return this;
        }

        /** {@code -Xmx} of the master and worker JVMs (default {@code 256m}). */
        public Builder daemonHeap(String size) {
            this.daemonHeap = size;
            return this;
        }

        /** Directory of the Spark jars; default {@link EngineLibraries#spark()}. */
        public Builder libDir(Path dir) {
            this.libDir = dir;
            return this;
        }

        /** How long {@link #start()} waits for the master and the worker (default 120 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Creates the SPARK_HOME, starts the master, then the worker, and waits until the master lists the worker as
         * ALIVE. Throws {@link PortInUseException} if a fixed port is taken, {@link EngineStartException} (with the
         * tails of the logs) if the cluster does not come up in time.
         */
        public SparkCluster start() {
            SparkCluster cluster = new SparkCluster(this, SparkPorts.pick(masterPort, webUiPort, restSubmission));
            cluster.launch();
            return cluster;
        }
    }

    private static List<String> jdk17Options() {
        try (InputStream in = SparkCluster.class.getResourceAsStream(JDK17_OPTIONS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        JDK17_OPTIONS_RESOURCE + " is not on the classpath (local-stack's jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
