package io.streamingpipeline.localstack.pipeline;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.postgres.PostgresServer;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.spark.SparkCluster;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * {@code ./pipeline daily-close|rollups|replay --day YYYY-MM-DD}: the day jobs of the job jar
 * ({@link DayJobLaunch}) on the data dir of a stopped {@code ./pipeline run}. Starts its engines (Kafka, Cassandra, a
 * Spark master and worker) and a Postgres 16 ({@code <data>/postgres}, database {@value #OPS_DATABASE}), submits the
 * job, prints its result and the Postgres rows it wrote, then stops everything it started. Returns the job's exit code.
 */
final class DayJobCommand {

    static final String OPS_DATABASE = "pipeline_ops";
    static final String OPS_USER = "pipeline_ops";
    private static final Set<String> PIPELINE_OPTIONS =
            Set.of("--data-dir", "--kafka-port", "--cassandra-port", "--spark-port");
    /** Lines of the job's output that are its result (the rest is Spark's log). */
    private static final List<String> RESULT_PREFIXES = List.of(
            "OK ",
            "MISMATCH ",
            "DAILY CLOSE ",
            "ROLLUPS ",
            "REPLAY ",
            "FAILED ",
            "Cannot start",
            "  - ",
            "Run with --help");

    static final String USAGE = """
            usage: ./pipeline daily-close --day YYYY-MM-DD [options]   prove a UTC day: Kafka vs Cassandra vs candles, per symbol
                   ./pipeline rollups --day YYYY-MM-DD [options]       hourly and daily candles of the day
                   ./pipeline replay --day YYYY-MM-DD [options]        re-read the day from Kafka, recompute its candles
            On the data dir of a stopped ./pipeline run: starts its Kafka, Cassandra and Spark, and Postgres 16
            (<data-dir>/postgres, database pipeline_ops), runs the job (spark-submit), prints its result and the
            rows it wrote to Postgres, and stops them again. Exit code: the job's (0 done, 1 the close found a
            mismatch, 2 bad arguments, 3 the job failed).
              --data-dir <dir>        the pipeline's data (default ./data)
              --kafka-port <n>, --cassandra-port <n>, --spark-port <n>   as for ./pipeline run (defaults 9092, 9042, 7077)
              --postgres-port <n>     Postgres on 127.0.0.1 (default: a free port)
              --kafka-margin <d>      and any other option of the job (spark-streaming/README.md, "Day jobs")
            """;

    private final Deque<Runnable> stops = new ConcurrentLinkedDeque<>();
    private final PrintStream out;

    private DayJobCommand(PrintStream out) {
        this.out = out;
    }

    static int run(String command, List<String> args, Path root, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.print(USAGE);
            return 0;
        }
        List<String> pipelineArgs = new ArrayList<>();
        List<String> jobArgs = new ArrayList<>();
        String day = null;
        int postgresPort = 0;
        Deque<String> rest = new ArrayDeque<>(args);
        try {
            while (!rest.isEmpty()) {
                String flag = rest.poll();
                String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
                String inline = flag.contains("=") ? flag.substring(flag.indexOf('=') + 1) : null;
                if (name.equals("--day")) {
                    day = PipelineOptions.value(name, inline, rest);
                } else if (name.equals("--postgres-port")) {
                    postgresPort = Integer.parseInt(PipelineOptions.value(name, inline, rest));
                } else if (PIPELINE_OPTIONS.contains(name)) {
                    pipelineArgs.add(name);
                    pipelineArgs.add(PipelineOptions.value(name, inline, rest));
                } else {
                    jobArgs.add(flag);
                    if (inline == null && !rest.isEmpty() && !rest.peek().startsWith("--")) {
                        jobArgs.add(rest.poll());
                    }
                }
            }
            if (day == null) {
                throw new IllegalArgumentException("--day is required: the UTC day, e.g. --day 2026-01-15");
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        }
        PipelineOptions options;
        PipelineConnection connection;
        try {
            options = PipelineOptions.parse(pipelineArgs, root);
            connection =
                    PipelineConnection.load(options.dataDir().toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (IllegalStateException | UncheckedIOException e) {
            err.println(e.getMessage());
            return 3;
        }
        DayJobCommand job = new DayJobCommand(out);
        Thread hook = new Thread(job::stopAll, "day-job-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return job.run(command, day, options, connection, postgresPort, jobArgs);
        } catch (EngineStartException | IllegalStateException | UncheckedIOException e) {
            err.println(command.toUpperCase() + " FAILED " + e.getMessage());
            return 3;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                job.stopAll();
            } catch (IllegalStateException shutdownInProgress) {
                // the hook stops them
            }
        }
    }

    private int run(
            String command,
            String day,
            PipelineOptions options,
            PipelineConnection connection,
            int postgresPort,
            List<String> jobArgs) {
        Path dataDir = options.dataDir().toAbsolutePath().normalize();
        if (!Files.exists(options.jobJar())) {
            throw new IllegalStateException(
                    options.jobJar() + " is missing: run ./pipeline with --rebuild (or ./mvnw -DskipTests install).");
        }
        DataDirLock lock = DataDirLock.acquire(dataDir, "./pipeline " + command);
        stops.push(lock::close);
        List<String> taken = new ArrayList<>();
        if (!FreePorts.isFree(options.kafkaPort())) {
            taken.add("Kafka " + options.kafkaPort());
        }
        if (!FreePorts.isFree(options.cassandraPort())) {
            taken.add("Cassandra " + options.cassandraPort());
        }
        if (!FreePorts.isFree(options.sparkPort())) {
            taken.add("Spark master " + options.sparkPort());
        }
        if (!taken.isEmpty()) {
            throw new IllegalStateException("ports in use on 127.0.0.1: " + String.join(", ", taken) + ". The day jobs "
                    + "start the engines of " + dataDir + " themselves: stop ./pipeline run first (Ctrl-C), or name "
                    + "other ports.");
        }

        out.printf(
                "%s --day %s: starting Kafka, Cassandra, Spark and Postgres on the data of %s ...%n",
                command, day, dataDir);
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> started(
                KafkaBroker.builder(dataDir.resolve("kafka"))
                        .port(options.kafkaPort())
                        .start(),
                KafkaBroker::stop));
        CompletableFuture<CassandraNode> cassandra = CompletableFuture.supplyAsync(() -> started(
                CassandraNode.builder(dataDir.resolve("cassandra"))
                        .heap(CassandraNode.PIPELINE_HEAP)
                        .port(options.cassandraPort())
                        .credentials(connection.username(), connection.password())
                        .start(),
                CassandraNode::stop));
        CompletableFuture<SparkCluster> spark = CompletableFuture.supplyAsync(() -> started(
                SparkCluster.builder(dataDir.resolve("spark"))
                        .masterPort(options.sparkPort())
                        .start(),
                SparkCluster::stop));
        CompletableFuture<PostgresServer> postgres = CompletableFuture.supplyAsync(
                () -> started(PostgresServer.start(dataDir.resolve("postgres"), postgresPort), PostgresServer::stop));
        KafkaBroker k;
        CassandraNode c;
        SparkCluster s;
        PostgresServer p;
        try {
            k = kafka.join();
            c = cassandra.join();
            s = spark.join();
            p = postgres.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        try (CqlSession session = c.session()) {
            for (String statement : CassandraSchema.statements(CassandraSchema.Replication.simple(1))) {
                session.execute(statement); // IF NOT EXISTS: adds the tables of a newer contract (the rollups')
            }
        }
        String opsPassword = SecretFile.readOrCreate(dataDir.resolve("secrets/postgres-password"));
        p.createDatabase(OPS_DATABASE, OPS_USER, opsPassword);
        out.printf(
                "  ready: Kafka %s, Cassandra %s, Spark %s, Postgres 127.0.0.1:%d (%s)%n",
                k.bootstrapServers(), c.contactPoint(), s.masterUrl(), p.port(), p.jdbcUrl(OPS_DATABASE));

        DayJobLaunch launch = DayJobLaunch.of(options.jobJar(), command, day)
                .bootstrapServers(k.bootstrapServers())
                .cassandra(c, dataDir.resolve(PipelineMain.PASSWORD_FILE))
                .ops(p.jdbcUrl(OPS_DATABASE), OPS_USER, dataDir.resolve("secrets/postgres-password"))
                .passThrough(jobArgs);
        Path log = dataDir.resolve("logs/" + command + "-" + day + ".log");
        out.printf("submitting %s (spark-submit, client mode); log %s%n", command, log);
        long started = System.nanoTime();
        SparkDriver driver =
                s.submit(launch.submission(command + "-" + day).logFile(log).build());
        stops.push(driver::kill);
        if (!driver.waitFor(Duration.ofHours(2))) {
            throw new IllegalStateException(command + " did not finish within 2 hours; see " + log);
        }
        int exit = driver.exitCode().orElse(3);
        out.printf("%s finished in %.1f s, exit code %d:%n", command, (System.nanoTime() - started) / 1e9, exit);
        try {
            for (String line : Files.readAllLines(log)) {
                if (RESULT_PREFIXES.stream().anyMatch(line::startsWith)) {
                    out.println("  " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        printRows(
                p,
                opsPassword,
                command.equals("daily-close")
                        ? "SELECT day, symbol, kafka_trades, cassandra_trades, candle_trades, kafka_complete, dead_letters, status, "
                                + "checked_at FROM daily_close WHERE day = DATE '" + day + "' ORDER BY symbol"
                        : command.equals("replay")
                                ? "SELECT run_id, day, started_at, finished_at, status, kafka_trades, trades_upserted, candles_written, "
                                        + "candles_deleted, error FROM replay_run WHERE day = DATE '" + day
                                        + "' ORDER BY started_at DESC LIMIT 5"
                                : null);
        return exit;
    }

    /** Prints the rows of a query on {@value #OPS_DATABASE}, as {@code ./pipeline cql} prints CQL rows. */
    private void printRows(PostgresServer postgres, String password, String query) {
        if (query == null) {
            return;
        }
        Properties props = new Properties();
        props.setProperty("user", OPS_USER);
        props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(OPS_DATABASE), props);
                ResultSet r = c.createStatement().executeQuery(query)) {
            ResultSetMetaData meta = r.getMetaData();
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                names.add(meta.getColumnName(i));
            }
            List<List<String>> rows = new ArrayList<>();
            while (r.next()) {
                List<String> cells = new ArrayList<>();
                for (int i = 1; i <= names.size(); i++) {
                    cells.add(String.valueOf(r.getObject(i)));
                }
                rows.add(cells);
            }
            out.println("Postgres " + OPS_DATABASE + ": " + query);
            CqlCommand.printTable(names, rows, out);
        } catch (SQLException e) {
            out.println("  (cannot read the rows from Postgres: " + e.getMessage() + ")");
        }
    }

    private <T> T started(T engine, java.util.function.Consumer<T> stop) {
        stops.push(() -> stop.accept(engine));
        return engine;
    }

    private void stopAll() {
        Runnable stop;
        while ((stop = stops.poll()) != null) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                out.println("  (while stopping: " + e.getMessage() + ")");
            }
        }
        out.flush();
    }
}
