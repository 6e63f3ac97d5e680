package io.streamingpipeline.localstack;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.spark.SparkCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The local stack's command line. {@code kafka --data-dir <dir> [--port N] [--controller-port N] [--topics
 * name:partitions,...]} starts a Kafka broker, creates the topics, prints one line
 * {@code KAFKA READY bootstrap=127.0.0.1:<port> pid=<pid> log=<path>} and runs until Ctrl-C / SIGTERM, then stops
 * the broker cleanly ({@code KAFKA STOPPED}). Exit codes: the JVM's usual 130 / 143 after Ctrl-C / SIGTERM (the
 * broker was stopped), 1 if the broker failed to start or died, 2 for a wrong command line.
 *
 * <p>{@code cassandra --data-dir <dir> ...} and {@code spark --data-dir <dir> ...} do the same for a Cassandra node
 * ({@code CASSANDRA READY contact=127.0.0.1:<port> user=<role> pid=<pid> ...}) and a Spark standalone cluster
 * ({@code SPARK READY master=spark://127.0.0.1:<port> ui=http://127.0.0.1:<port> pids=<master>,<worker> ...}).
 */
public final class LocalStackMain {

    static final String USAGE = """
            usage: LocalStackMain kafka --data-dir <dir> [--port <n>] [--controller-port <n>] [--topics <name:partitions,...>]
              --data-dir         broker's files (data, server.properties, kafka.log); kept, reused on the next start
              --port             broker listener on 127.0.0.1 (default 0: a free port, printed in the READY line)
              --controller-port  KRaft controller listener (default 0: a free port)
              --topics           topics to create if missing (default %s; "" for none)
                   LocalStackMain cassandra --data-dir <dir> [--port <n>] [--storage-port <n>] [--user <role>]
                                  [--password <pw>] [--heap <size>]
              --data-dir         node's files (data, commit log, cassandra.yaml, cassandra.log); kept, reused
              --port             CQL port on 127.0.0.1 (default 0: a free port, printed in the READY line)
              --storage-port     internode port (default 0: a free port)
              --user, --password the application role created at start (default %s / %s: local only)
              --heap             -Xmx of the node (default 512m)
                   LocalStackMain spark --data-dir <dir> [--port <n>] [--webui-port <n>] [--cores <n>] [--memory <size>]
              --data-dir         SPARK_HOME, logs, the worker's work dir and drivers' logs
              --port             master port, spark://127.0.0.1:<port> (default 0: a free port)
              --webui-port       master web UI port (default 0: a free port)
              --cores, --memory  what the one worker offers to applications (default 2, 2g)
            """.formatted(
                    Topic.defaultPartitionsByName().entrySet().stream()
                            .map(t -> t.getKey() + ":" + t.getValue())
                            .collect(Collectors.joining(",")),
                    CassandraNode.DEFAULT_USERNAME,
                    CassandraNode.DEFAULT_PASSWORD);

    private LocalStackMain() {}

    public static void main(String[] args) {
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        String command = rest.poll();
        if (command == null || command.equals("--help") || command.equals("-h")) {
            (command == null ? err : out).print(USAGE);
            return command == null ? 2 : 0;
        }
        if (!List.of("kafka", "cassandra", "spark").contains(command)) {
            err.println("Unknown engine '" + command + "'.");
            err.print(USAGE);
            return 2;
        }
        try {
            return switch (command) {
                case "cassandra" -> runCassandra(CassandraOptions.parse(rest), out, err);
                case "spark" -> runSpark(SparkOptions.parse(rest), out, err);
                default -> runKafka(KafkaOptions.parse(rest), out, err);
            };
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }

    private static int runCassandra(CassandraOptions options, PrintStream out, PrintStream err) {
        CassandraNode node;
        try {
            node = CassandraNode.builder(options.dataDir())
                    .port(options.port())
                    .storagePort(options.storagePort())
                    .credentials(options.user(), options.password())
                    .heap(options.heap())
                    .start();
        } catch (EngineStartException | IllegalStateException e) {
            err.println("CASSANDRA FAILED " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            boolean clean = node.stop();
                            out.println("CASSANDRA STOPPED pid=" + node.pid()
                                    + (clean ? "" : " (forced after the stop timeout)"));
                            out.flush();
                            stopped.countDown();
                        },
                        "stop-cassandra"));
        out.println("CASSANDRA READY contact=" + node.contactPoint() + " user=" + node.username() + " pid=" + node.pid()
                + " datacenter=" + node.datacenter() + " log=" + node.logFile()
                + " startup_ms=" + node.lastStartDuration().toMillis());
        out.flush();
        return runUntilStopped(node::isRunning, stopped, () -> {
            err.println("CASSANDRA EXITED unexpectedly (pid " + node.pid() + "), see " + node.logFile());
        });
    }

    private static int runSpark(SparkOptions options, PrintStream out, PrintStream err) {
        SparkCluster cluster;
        try {
            cluster = SparkCluster.builder(options.dataDir())
                    .masterPort(options.port())
                    .webUiPort(options.webUiPort())
                    .workerCores(options.cores())
                    .workerMemory(options.memory())
                    .start();
        } catch (EngineStartException | IllegalStateException e) {
            err.println("SPARK FAILED " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            cluster.stop();
                            out.println("SPARK STOPPED pids=" + cluster.masterPid() + "," + cluster.workerPid());
                            out.flush();
                            stopped.countDown();
                        },
                        "stop-spark"));
        out.println("SPARK READY master=" + cluster.masterUrl() + " ui=" + cluster.webUiUrl()
                + " pids=" + cluster.masterPid() + "," + cluster.workerPid()
                + " spark_home=" + cluster.sparkHome() + " logs=" + cluster.dataDir()
                + " startup_ms=" + (cluster.masterStartDuration().plus(cluster.workerStartDuration())).toMillis());
        out.flush();
        return runUntilStopped(cluster::isRunning, stopped, () -> {
            err.println("SPARK EXITED unexpectedly (master or worker), see " + cluster.masterLog() + " and "
                    + cluster.workerLog());
        });
    }

    /**
     * Sleeps while {@code running}; returns 0 if a shutdown hook is stopping the engine (the JVM then exits with
     * 130/143), 1 after {@code died} if the engine died by itself.
     */
    private static int runUntilStopped(BooleanSupplier running, CountDownLatch stopped, Runnable died) {
        while (running.getAsBoolean()) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (stopped.getCount() == 0 || shutdownInProgress()) {
            return 0;
        }
        died.run();
        return 1;
    }

    private static int runKafka(KafkaOptions options, PrintStream out, PrintStream err) {
        KafkaBroker broker;
        try {
            broker = KafkaBroker.builder(options.dataDir)
                    .port(options.port)
                    .controllerPort(options.controllerPort)
                    .start();
        } catch (EngineStartException | IllegalStateException e) {
            err.println("KAFKA FAILED " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(
                () -> {
                    boolean clean = broker.stop();
                    out.println(
                            "KAFKA STOPPED pid=" + broker.pid() + (clean ? "" : " (forced after the stop timeout)"));
                    out.flush();
                    stopped.countDown();
                },
                "stop-kafka");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (!options.topics.isEmpty()) {
                broker.createTopics(options.topics);
            }
        } catch (RuntimeException e) {
            err.println("KAFKA FAILED creating topics " + options.topics + ": " + e.getMessage());
            return 1; // the hook stops the broker
        }
        out.println("KAFKA READY bootstrap=" + broker.bootstrapServers() + " pid=" + broker.pid()
                + " log=" + broker.logFile() + " topics=" + options.topics.keySet()
                + " startup_ms=" + broker.lastStartDuration().toMillis());
        out.flush();
        while (broker.isRunning()) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (stopped.getCount() == 0 || shutdownInProgress()) {
            return 0; // the shutdown hooks stop(ped) it; the JVM exits with 130/143 once they are done
        }
        // not stopped by a shutdown hook: the broker died
        err.println("KAFKA EXITED unexpectedly (pid " + broker.pid() + "), see " + broker.logFile());
        return 1;
    }

    private static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** The options of the {@code kafka} command. */
    record KafkaOptions(Path dataDir, int port, int controllerPort, Map<String, Integer> topics) {

        static KafkaOptions parse(Deque<String> args) {
            Path dataDir = null;
            int port = 0;
            int controllerPort = 0;
            Map<String, Integer> topics = Topic.defaultPartitionsByName();
            while (!args.isEmpty()) {
                String option = args.poll();
                String value = args.poll();
                if (value == null) {
                    throw new IllegalArgumentException("Missing value after " + option);
                }
                switch (option) {
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--port" -> port = portNumber(option, value);
                    case "--controller-port" -> controllerPort = portNumber(option, value);
                    case "--topics" -> topics = topics(value);
                    default -> throw new IllegalArgumentException("Unknown option " + option);
                }
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            return new KafkaOptions(dataDir, port, controllerPort, topics);
        }

        static Map<String, Integer> topics(String value) {
            Map<String, Integer> topics = new LinkedHashMap<>();
            for (String item : value.split(",")) {
                if (item.isBlank()) {
                    continue;
                }
                String[] parts = item.trim().split(":");
                try {
                    int partitions = parts.length == 1 ? 1 : Integer.parseInt(parts[1]);
                    if (parts.length > 2 || parts[0].isBlank() || partitions < 1) {
                        throw new NumberFormatException();
                    }
                    topics.put(parts[0], partitions);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--topics: expected name:partitions, got '" + item + "'");
                }
            }
            return topics;
        }

        private static int portNumber(String option, String value) {
            try {
                int port = Integer.parseInt(value);
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a port number: " + value);
            }
        }
    }

    /** The options of the {@code cassandra} command. */
    record CassandraOptions(Path dataDir, int port, int storagePort, String user, String password, String heap) {

        static CassandraOptions parse(Deque<String> args) {
            Path dataDir = null;
            int port = 0;
            int storagePort = 0;
            String user = CassandraNode.DEFAULT_USERNAME;
            String password = CassandraNode.DEFAULT_PASSWORD;
            String heap = "512m";
            while (!args.isEmpty()) {
                String option = args.poll();
                String value = args.poll();
                if (value == null) {
                    throw new IllegalArgumentException("Missing value after " + option);
                }
                switch (option) {
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--port" -> port = KafkaOptions.portNumber(option, value);
                    case "--storage-port" -> storagePort = KafkaOptions.portNumber(option, value);
                    case "--user" -> user = value;
                    case "--password" -> password = value;
                    case "--heap" -> heap = value;
                    default -> throw new IllegalArgumentException("Unknown option " + option);
                }
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            if (!heap.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("--heap: expected a size like 512m or 1g, got '" + heap + "'");
            }
            return new CassandraOptions(dataDir, port, storagePort, user, password, heap);
        }

        @Override
        public String toString() {
            return "CassandraOptions[dataDir=" + dataDir + ", port=" + port + ", storagePort=" + storagePort + ", user="
                    + user + ", heap=" + heap + "]"; // no password
        }
    }

    /** The options of the {@code spark} command. */
    record SparkOptions(Path dataDir, int port, int webUiPort, int cores, String memory) {

        static SparkOptions parse(Deque<String> args) {
            Path dataDir = null;
            int port = 0;
            int webUiPort = 0;
            int cores = 2;
            String memory = "2g";
            while (!args.isEmpty()) {
                String option = args.poll();
                String value = args.poll();
                if (value == null) {
                    throw new IllegalArgumentException("Missing value after " + option);
                }
                switch (option) {
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--port" -> port = KafkaOptions.portNumber(option, value);
                    case "--webui-port" -> webUiPort = KafkaOptions.portNumber(option, value);
                    case "--cores" -> cores = positive(option, value);
                    case "--memory" -> memory = value;
                    default -> throw new IllegalArgumentException("Unknown option " + option);
                }
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir is required");
            }
            if (!memory.matches("\\d+[mMgG]")) {
                throw new IllegalArgumentException("--memory: expected a size like 512m or 2g, got '" + memory + "'");
            }
            return new SparkOptions(dataDir, port, webUiPort, cores, memory);
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": not a positive number: " + value);
            }
        }
    }
}
