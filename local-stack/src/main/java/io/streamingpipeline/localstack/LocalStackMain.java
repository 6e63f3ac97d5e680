package io.streamingpipeline.localstack;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.process.EngineStartException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's command line. {@code kafka --data-dir <dir> [--port N] [--controller-port N] [--topics
 * name:partitions,...]} starts a Kafka broker, creates the topics, prints one line
 * {@code KAFKA READY bootstrap=127.0.0.1:<port> pid=<pid> log=<path>} and runs until Ctrl-C / SIGTERM, then stops
 * the broker cleanly ({@code KAFKA STOPPED}). Exit codes: the JVM's usual 130 / 143 after Ctrl-C / SIGTERM (the
 * broker was stopped), 1 if the broker failed to start or died, 2 for a wrong command line.
 */
public final class LocalStackMain {

    static final String USAGE = """
            usage: LocalStackMain kafka --data-dir <dir> [--port <n>] [--controller-port <n>] [--topics <name:partitions,...>]
              --data-dir         broker's files (data, server.properties, kafka.log); kept, reused on the next start
              --port             broker listener on 127.0.0.1 (default 0: a free port, printed in the READY line)
              --controller-port  KRaft controller listener (default 0: a free port)
              --topics           topics to create if missing (default %s:3,%s:1; "" for none)
            """.formatted(TradeContract.TRADES_TOPIC, TradeContract.DEAD_LETTER_TOPIC);

    private LocalStackMain() {
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
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
        if (!command.equals("kafka")) {
            err.println("Unknown engine '" + command + "'.");
            err.print(USAGE);
            return 2;
        }
        KafkaOptions options;
        try {
            options = KafkaOptions.parse(rest);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        return runKafka(options, out, err);
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
        Thread hook = new Thread(() -> {
            boolean clean = broker.stop();
            out.println("KAFKA STOPPED pid=" + broker.pid() + (clean ? "" : " (forced after the stop timeout)"));
            out.flush();
            stopped.countDown();
        }, "stop-kafka");
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
        Thread probe = new Thread(() -> { });
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
            Map<String, Integer> topics = defaultTopics();
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

        static Map<String, Integer> defaultTopics() {
            Map<String, Integer> topics = new LinkedHashMap<>();
            topics.put(TradeContract.TRADES_TOPIC, 3);
            topics.put(TradeContract.DEAD_LETTER_TOPIC, 1);
            return topics;
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
}
