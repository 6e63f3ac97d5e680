package io.streamingpipeline.localstack.kafka;

import io.streamingpipeline.localstack.EngineLibraries;
import io.streamingpipeline.localstack.process.EngineProcess;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.JavaProcess;
import io.streamingpipeline.localstack.process.LogTail;
import io.streamingpipeline.localstack.process.PortInUseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real single-node Apache Kafka (KRaft, broker and controller in one process) running as a child JVM from the jars
 * of {@code local-stack/engines/kafka}, listening on 127.0.0.1 only, with all its files in one data directory:
 * {@code server.properties}, {@code log4j2.xml}, {@code kafka-logs/} (the data), {@code kafka.log} (the broker's
 * log) and {@code kafka.out} (the JVM's stdout/stderr).
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start(dir)) {
 *     kafka.createTopic("crypto_trades", 3);
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>The storage is formatted on the first start in a data directory only, so a broker started again on the same
 * directory (same object: {@link #restart()}, {@link #startAgain()}; or a new one) keeps its topics and records.
 */
public final class KafkaBroker extends EngineProcess {

    /** Name of the broker's log file in the data directory. */
    public static final String LOG_FILE = "kafka.log";
    /** Name of the file that receives the broker JVM's stdout and stderr. */
    public static final String OUT_FILE = "kafka.out";

    private static final String HOST = FreePorts.HOST;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path libDir;
    private final int port;
    private final int controllerPort;
    private final List<String> jvmOptions;
    private final Map<String, String> overrides;
    private final TopicAdmin topicAdmin;
    private volatile Duration lastStartDuration = Duration.ZERO;
    private volatile Duration lastFormatDuration = Duration.ZERO;

    private KafkaBroker(Builder builder, int port, int controllerPort) {
        super("Kafka broker", builder.dataDir, builder.startTimeout, builder.stopTimeout);
        this.libDir = builder.libDir != null ? builder.libDir : EngineLibraries.kafka();
        this.port = port;
        this.controllerPort = controllerPort;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.overrides = Map.copyOf(builder.overrides);
        this.topicAdmin = new TopicAdmin(bootstrapServers());
    }

    /** Starts a broker on free ports with its files in {@code dataDir} (created if needed); returns once it is ready. */
    public static KafkaBroker start(Path dataDir) {
        return builder(dataDir).start();
    }

    /** To choose ports, heap, timeouts or broker settings before {@link Builder#start()}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The broker (PLAINTEXT) listener's port; stays the same across {@link #restart()}. */
    public int port() {
        return port;
    }

    /** The KRaft controller listener's port; stays the same across {@link #restart()}. */
    public int controllerPort() {
        return controllerPort;
    }

    @Override
    public String address() {
        return bootstrapServers();
    }

    /** The broker's log4j2 log. */
    @Override
    public Path logFile() {
        return dataDir().resolve(LOG_FILE);
    }

    @Override
    protected Path outFile() {
        return dataDir().resolve(OUT_FILE);
    }

    /** How long the last start took, from launching the JVM (or formatting) until an Admin client saw the broker. */
    public Duration lastStartDuration() {
        return lastStartDuration;
    }

    /** How long formatting the storage took at the first start in this data dir; zero if it was already formatted. */
    public Duration lastFormatDuration() {
        return lastFormatDuration;
    }

    /**
     * Creates the topic with {@code partitions} partitions (replication factor 1) and waits until every partition
     * has a leader. Idempotent: an existing topic with at least {@code partitions} partitions is fine (an operator may
     * have grown it); one with fewer is an {@link IllegalStateException} that says how to grow it.
     */
    public void createTopic(String name, int partitions) {
        createTopics(Map.of(name, partitions));
    }

    /** {@link #createTopic} for several topics (name to partitions), in one request. */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        topicAdmin.createTopics(partitionsByTopic);
    }

    /** Names of the topics (internal ones excluded). */
    public Set<String> topics() {
        return topicAdmin.topics();
    }

    /** The log-end offset of each partition of {@code topic} (partition to offset, ordered by partition). */
    public Map<Integer, Long> endOffsets(String topic) {
        return topicAdmin.endOffsets(topic);
    }

    /** A new Admin client on this broker; the caller closes it. */
    public Admin newAdmin() {
        return topicAdmin.newAdmin();
    }

    @Override
    protected void launchProcess(long started) {
        FreePorts.requireFree(port, "Kafka broker listener");
        FreePorts.requireFree(controllerPort, "Kafka KRaft controller listener");
        Path dataDir = dataDir();
        Path serverProperties = dataDir.resolve("server.properties");
        Path log4j2 = dataDir.resolve("log4j2.xml");
        Path logDirs = dataDir.resolve("kafka-logs");
        try {
            Files.createDirectories(logDirs);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + logDirs, e);
        }
        BrokerConfigFiles.writeServerProperties(
                serverProperties, BrokerConfigFiles.serverProperties(logDirs, HOST, port, controllerPort, overrides));
        BrokerConfigFiles.writeLog4j2(log4j2, logFile());

        if (Files.exists(logDirs.resolve("meta.properties"))) {
            lastFormatDuration = Duration.ZERO;
        } else {
            format(serverProperties, log4j2);
            lastFormatDuration = Duration.ofNanos(System.nanoTime() - started);
        }

        running(javaProcess("kafka", log4j2)
                .jvmOptions(jvmOptions)
                .systemProperty("kafka.logs.dir", dataDir.toString())
                .args(serverProperties.toString())
                .start("kafka.Kafka"));
        awaitReady();
        lastStartDuration = Duration.ofNanos(System.nanoTime() - started);
    }

    private void format(Path serverProperties, Path log4j2) {
        JavaProcess formatter = javaProcess("kafka-storage-format", log4j2)
                .jvmOptions("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                .args(
                        "format",
                        "--cluster-id",
                        newClusterId(),
                        "--config",
                        serverProperties.toString(),
                        "--ignore-formatted")
                .start("kafka.tools.StorageTool");
        boolean exited = formatter.waitFor(Duration.ofSeconds(60));
        if (exited) {
            formatter.stop(Duration.ZERO); // exited already: only unregisters its shutdown hook
        } else {
            formatter.kill();
        }
        if (!exited || formatter.exitCode().orElse(-1) != 0) {
            throw new EngineStartException("Formatting the Kafka storage in "
                    + dataDir().resolve("kafka-logs")
                    + (exited ? " failed (exit code " + formatter.exitCode().orElse(-1) + ")" : " took over 60 s")
                    + logs());
        }
    }

    /** A JVM for a Kafka main class; {@code start(mainClass)} launches it. */
    private KafkaJvm javaProcess(String name, Path log4j2) {
        return new KafkaJvm(libDir, dataDir(), outFile(), name, log4j2);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout().toNanos();
        // 1. the port accepts connections (no Admin client warnings about refused connections meanwhile)
        while (!accepts(port)) {
            checkAlive();
            checkDeadline(deadline, "its listener " + bootstrapServers() + " did not open", null);
            sleep(100);
        }
        // 2. an Admin client sees the broker registered and unfenced
        Exception last = null;
        try (Admin admin = Admin.create(topicAdmin.adminProperties(Duration.ofSeconds(2)))) {
            while (true) {
                checkAlive();
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(2, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new EngineStartException("Interrupted while waiting for the Kafka broker", e);
                }
                checkDeadline(deadline, "an Admin client could not describe the cluster", last);
                sleep(100);
            }
        }
    }

    /** Also says which port was taken when the broker could not bind. */
    @Override
    protected void checkAlive() {
        if (!process().isAlive()) {
            Path log = logFile();
            Path out = outFile();
            if (LogTail.contains(log, "Address already in use") || LogTail.contains(out, "Address already in use")) {
                int taken = FreePorts.isFree(port) ? controllerPort : port;
                throw new PortInUseException(
                        taken,
                        "Kafka broker " + bootstrapServers() + " / controller port " + controllerPort
                                + ", seen by the broker at startup",
                        logs());
            }
        }
        super.checkAlive();
    }

    /** A Kafka cluster id: 16 random bytes, URL-safe base64 without padding (as {@code kafka-storage random-uuid}). */
    static String newClusterId() {
        while (true) {
            UUID uuid = new UUID(RANDOM.nextLong(), RANDOM.nextLong());
            ByteBuffer bytes = ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits());
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-") && !id.equals("AAAAAAAAAAAAAAAAAAAAAA") && !id.equals("AAAAAAAAAAAAAAAAAAAAAQ")) {
                return id;
            }
        }
    }

    /** How to start a {@link KafkaBroker}. */
    public static final class Builder {
        private final Path dataDir;
        private Path libDir;
        private int port;
        private int controllerPort;
        private final List<String> jvmOptions = new ArrayList<>(List.of(
                "-Xmx512m",
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-XX:InitiatingHeapOccupancyPercent=35",
                "-XX:+ExplicitGCInvokesConcurrent"));
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(90);
        private Duration stopTimeout = Duration.ofSeconds(30);

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** The broker (PLAINTEXT) listener's port; 0 (default) picks a free one. Kept across restarts. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The KRaft controller listener's port; 0 (default) picks a free one. Kept across restarts. */
        public Builder controllerPort(int port) {
            this.controllerPort = port;
            return this;
        }

        /** Directory of the Kafka jars; default {@link EngineLibraries#kafka()}. */
        public Builder libDir(Path dir) {
            this.libDir = dir;
            return this;
        }

        /** Extra options for the broker's JVM, after the defaults ({@code -Xmx512m} and Kafka's G1 settings). */
        public Builder jvmOptions(String... options) {
            jvmOptions.addAll(List.of(options));
            return this;
        }

        /** A {@code server.properties} setting, over the defaults. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** How long {@link #start()} / {@link KafkaBroker#startAgain()} wait for readiness (default 90 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** How long {@link KafkaBroker#stop()} waits for a clean shutdown before SIGKILL (default 30 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /**
         * Formats the storage if this data dir has none yet, starts the broker and waits until an Admin client sees
         * it. Throws {@link PortInUseException} if a fixed port is taken, {@link EngineStartException} (with the
         * tail of the broker's log) if it does not become ready in time.
         */
        public KafkaBroker start() {
            int[] free = FreePorts.pick(2);
            KafkaBroker broker =
                    new KafkaBroker(this, port != 0 ? port : free[0], controllerPort != 0 ? controllerPort : free[1]);
            if (broker.port == broker.controllerPort) {
                throw new IllegalArgumentException("Broker and controller port are both " + broker.port);
            }
            broker.launch();
            return broker;
        }
    }
}
