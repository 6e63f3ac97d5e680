package io.streamingpipeline.localstack.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.localstack.EngineLibraries;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.JavaProcess;
import io.streamingpipeline.localstack.process.LogTail;
import io.streamingpipeline.localstack.process.PortInUseException;
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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /**
     * What Spark 3.5 needs on JDK 17 (shared/versions.md): for the master, the worker, the driver and, through
     * {@code spark.executor.extraJavaOptions}, the executors.
     */
    public static final List<String> JDK17_OPTIONS = List.of(
            "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED");

    /** Name of the master's log file (its JVM's stdout/stderr) in the data directory. */
    public static final String MASTER_LOG = "master.log";
    /** Name of the worker's log file in the data directory. */
    public static final String WORKER_LOG = "worker.log";

    private static final String HOST = FreePorts.HOST;
    private static final String SCALA_VERSION = "2.12";
    private static final int LOG_LINES_IN_ERRORS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final Path libDir;
    private final int masterPort;
    private final int webUiPort;
    private final int workerPort;
    private final int workerWebUiPort;
    private final int restPort;
    private final int workerCores;
    private final String workerMemory;
    private final String daemonHeap;
    private final Duration startTimeout;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger submissions = new AtomicInteger();

    private volatile Path sparkHome;
    private volatile JavaProcess master;
    private volatile JavaProcess worker;
    private volatile Duration masterStartDuration = Duration.ZERO;
    private volatile Duration workerStartDuration = Duration.ZERO;

    private SparkCluster(Builder b, int[] ports) {
        this.dataDir = b.dataDir.toAbsolutePath().normalize();
        this.libDir = b.libDir != null ? b.libDir : EngineLibraries.spark();
        this.masterPort = ports[0];
        this.webUiPort = ports[1];
        this.workerPort = ports[2];
        this.workerWebUiPort = ports[3];
        this.restPort = ports[4];
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
        return "spark://" + HOST + ":" + masterPort;
    }

    /** The master's web UI, {@code http://127.0.0.1:<port>} ({@code /json/} is its machine-readable status). */
    public String webUiUrl() {
        return "http://" + HOST + ":" + webUiPort;
    }

    /** The worker's web UI. */
    public String workerWebUiUrl() {
        return "http://" + HOST + ":" + workerWebUiPort;
    }

    /**
     * The master's REST submission endpoint ({@code http://127.0.0.1:<port>}, Spark's {@code /v1/submissions/...}),
     * when the builder asked for it with {@link Builder#restSubmission()}.
     */
    public Optional<String> restUrl() {
        return restPort == 0 ? Optional.empty() : Optional.of("http://" + HOST + ":" + restPort);
    }

    public int masterPort() {
        return masterPort;
    }

    public int webUiPort() {
        return webUiPort;
    }

    public long masterPid() {
        return requireStarted(master).pid();
    }

    public long workerPid() {
        return requireStarted(worker).pid();
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
        return masterStartDuration;
    }

    /** How long the worker took to start (until the master listed it ALIVE). */
    public Duration workerStartDuration() {
        return workerStartDuration;
    }

    /** Whether master and worker are both running. */
    public boolean isRunning() {
        JavaProcess m = master;
        JavaProcess w = worker;
        return m != null && m.isAlive() && w != null && w.isAlive();
    }

    /** The JVMs of the worker's executors right now (child processes of the worker). */
    public List<ProcessHandle> executorProcesses() {
        JavaProcess w = worker;
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

        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.driver.host", HOST);
        conf.put("spark.driver.bindAddress", HOST);
        conf.put("spark.ui.port", Integer.toString(FreePorts.pick()));
        conf.put("spark.local.dir", dataDir.resolve("local").toString());
        conf.putAll(submission.conf());
        String jdkOptions = String.join(" ", JDK17_OPTIONS);
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            String given = submission.conf().get(key);
            conf.put(key, given == null ? jdkOptions : jdkOptions + " " + given);
        }

        List<String> args = new ArrayList<>(List.of(
                "--master",
                masterUrl(),
                "--deploy-mode",
                "client",
                "--class",
                submission.mainClass(),
                "--name",
                submission.name()));
        conf.forEach((k, v) -> {
            args.add("--conf");
            args.add(k + "=" + v);
        });
        args.add(submission.jar().toString());
        args.addAll(submission.args());

        JavaProcess.Builder builder = sparkProcess(
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
        JavaProcess w = worker;
        JavaProcess m = master;
        if (w != null) {
            w.stop(Duration.ofSeconds(20));
        }
        if (m != null) {
            m.stop(Duration.ofSeconds(20));
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "SparkCluster[" + masterUrl() + ", ui " + webUiUrl() + ", "
                + (isRunning() ? "running pids " + master.pid() + "," + worker.pid() : "stopped") + ", " + dataDir
                + "]";
    }

    private synchronized void launch() {
        for (int port : List.of(masterPort, webUiPort, workerPort, workerWebUiPort)) {
            FreePorts.requireFree(port, "Spark standalone cluster");
        }
        if (restPort != 0) {
            FreePorts.requireFree(restPort, "Spark master REST submission endpoint");
        }
        sparkHome = SparkHome.create(dataDir.resolve("spark-home"), libDir);
        mkdirs(workerWorkDir());
        mkdirs(dataDir.resolve("local"));

        long started = System.nanoTime();
        JavaProcess.Builder masterProcess = sparkProcess("org.apache.spark.deploy.master.Master", "spark-master");
        if (restPort != 0) {
            masterProcess
                    .systemProperty("spark.master.rest.enabled", "true")
                    .systemProperty("spark.master.rest.port", Integer.toString(restPort));
        }
        master = masterProcess
                .jvmOptions("-Xmx" + daemonHeap)
                .workingDirectory(dataDir)
                .output(masterLog())
                .args(
                        "--host",
                        HOST,
                        "--port",
                        Integer.toString(masterPort),
                        "--webui-port",
                        Integer.toString(webUiPort))
                .start();
        try {
            awaitStatus(started, "the master's status page did not say ALIVE", s -> "ALIVE".equals(s.masterState()));
            masterStartDuration = Duration.ofNanos(System.nanoTime() - started);

            long workerStarted = System.nanoTime();
            worker = sparkProcess("org.apache.spark.deploy.worker.Worker", "spark-worker")
                    .jvmOptions("-Xmx" + daemonHeap)
                    .workingDirectory(dataDir)
                    .output(workerLog())
                    .args(
                            "--host",
                            HOST,
                            "--port",
                            Integer.toString(workerPort),
                            "--webui-port",
                            Integer.toString(workerWebUiPort),
                            "--cores",
                            Integer.toString(workerCores),
                            "--memory",
                            workerMemory,
                            "--work-dir",
                            workerWorkDir().toString(),
                            masterUrl())
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

    /** A child JVM running a Spark main class from this cluster's SPARK_HOME, with its environment. */
    private JavaProcess.Builder sparkProcess(String mainClass, String name) {
        return JavaProcess.builder(mainClass)
                .name(name)
                .classpathEntry(sparkHome.resolve("conf"))
                .jarsIn(sparkHome.resolve("jars"))
                .jvmOptions(JDK17_OPTIONS)
                .systemProperty("spark.local.dir", dataDir.resolve("local").toString())
                .systemProperty("java.awt.headless", "true")
                .environment("SPARK_HOME", sparkHome.toString())
                .environment("SPARK_CONF_DIR", sparkHome.resolve("conf").toString())
                .environment("SPARK_SCALA_VERSION", SCALA_VERSION)
                .environment("SPARK_LOCAL_IP", HOST)
                .environment(
                        "JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
    }

    private void awaitStatus(long started, String what, java.util.function.Predicate<MasterStatus> ready) {
        long deadline = started + startTimeout.toNanos();
        while (true) {
            checkAlive(master, masterLog());
            if (worker != null) {
                checkAlive(worker, workerLog());
            }
            Optional<MasterStatus> status = status(Duration.ofSeconds(2));
            if (status.isPresent() && ready.test(status.get())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new EngineStartException("Spark cluster did not become ready within " + startTimeout.toSeconds()
                        + " s: " + what + LogTail.section(masterLog(), LOG_LINES_IN_ERRORS)
                        + LogTail.section(workerLog(), LOG_LINES_IN_ERRORS));
            }
            sleep(250);
        }
    }

    private Optional<MasterStatus> status(Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(webUiUrl() + "/json/"))
                .timeout(timeout)
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(MasterStatus.parse(JSON.readTree(response.body())));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("Interrupted while asking the Spark master for its status", e);
        }
    }

    private static void checkAlive(JavaProcess process, Path log) {
        if (!process.isAlive()) {
            throw new EngineStartException(process.name() + " (pid " + process.pid() + ") exited with code "
                    + process.exitCode().orElse(-1) + " while starting" + LogTail.section(log, LOG_LINES_IN_ERRORS));
        }
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineStartException("Interrupted while waiting for the Spark cluster", e);
        }
    }

    /**
     * The master's status page: its state, the workers it considers alive, and the applications.
     *
     * @param masterState   ALIVE once the master is up
     * @param aliveWorkers  workers registered and ALIVE
     * @param cores         cores of the alive workers
     * @param coresUsed     cores given to running applications
     * @param activeApps    running (or waiting) applications
     * @param completedApps finished, killed or failed applications
     */
    public record MasterStatus(
            String masterState,
            int aliveWorkers,
            int cores,
            int coresUsed,
            List<Application> activeApps,
            List<Application> completedApps) {

        static MasterStatus parse(JsonNode json) {
            return new MasterStatus(
                    json.path("status").asText(""),
                    json.path("aliveworkers").asInt(0),
                    json.path("cores").asInt(0),
                    json.path("coresused").asInt(0),
                    apps(json.path("activeapps")),
                    apps(json.path("completedapps")));
        }

        private static List<Application> apps(JsonNode array) {
            List<Application> apps = new ArrayList<>();
            array.forEach(a -> apps.add(new Application(
                    a.path("id").asText(),
                    a.path("name").asText(),
                    a.path("state").asText(),
                    a.path("cores").asInt(0))));
            return List.copyOf(apps);
        }

        /** The active application named {@code name}, if any. */
        public Optional<Application> activeApp(String name) {
            return activeApps.stream().filter(a -> a.name().equals(name)).findFirst();
        }

        /** The names of the active applications. */
        public List<String> activeAppNames() {
            return activeApps.stream().map(Application::name).collect(Collectors.toList());
        }
    }

    /** An application as the master lists it ({@code state}: WAITING, RUNNING, FINISHED, KILLED, FAILED...). */
    public record Application(String id, String name, String state, int cores) {}

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
            int[] free = FreePorts.pick(5);
            int[] ports = {
                masterPort != 0 ? masterPort : free[0],
                webUiPort != 0 ? webUiPort : free[1],
                free[2],
                free[3],
                restSubmission ? free[4] : 0
            };
            if (Stream.of(ports[0], ports[1], ports[2], ports[3]).distinct().count() != 4
                    || restSubmission
                            && Stream.of(ports[0], ports[1], ports[2], ports[3]).anyMatch(p -> p == ports[4])) {
                throw new IllegalArgumentException(
                        "Spark ports must differ, were " + List.of(ports[0], ports[1], ports[2], ports[3], ports[4]));
            }
            SparkCluster cluster = new SparkCluster(this, ports);
            cluster.launch();
            return cluster;
        }
    }
}
