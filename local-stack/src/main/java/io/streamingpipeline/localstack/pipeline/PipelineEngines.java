package io.streamingpipeline.localstack.pipeline;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.kafka.KafkaBroker;
import io.streamingpipeline.localstack.spark.SparkCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./pipeline run}'s engines in its data dir: Kafka with the contract's topics, Cassandra with the pipeline's
 * roles and the contract's schema, a Spark master and worker. Each one started is registered to stop, newest first.
 */
final class PipelineEngines {

    private final PipelineOptions options;
    private final PrintStream out;
    private final Deque<Runnable> stops;

    PipelineEngines(PipelineOptions options, PrintStream out, Deque<Runnable> stops) {
        this.options = options;
        this.out = out;
        this.stops = stops;
    }

    void prepareDataDir() {
        try {
            if (options.fresh() && Files.exists(options.dataDir())) {
                out.println("--fresh: deleting " + options.dataDir());
                Path lock = options.dataDir().resolve(DataDirLock.FILE);
                try (Stream<Path> walk = Files.walk(options.dataDir())) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        if (!p.equals(lock) && !p.equals(options.dataDir())) { // this run holds the lock
                            Files.delete(p);
                        }
                    }
                }
            }
            Files.createDirectories(options.dataDir().resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the data dir " + options.dataDir(), e);
        }
    }

    KafkaBroker startKafka() {
        out.printf("starting Kafka on 127.0.0.1:%d ...%n", options.kafkaPort());
        KafkaBroker kafka = KafkaBroker.builder(options.dataDir().resolve("kafka"))
                .port(options.kafkaPort())
                .start();
        stops.push(() -> {
            out.println("stopping Kafka");
            kafka.stop();
        });
        Map<String, Integer> topics = Topic.defaultPartitionsByName();
        kafka.createTopics(topics);
        out.printf(
                "  Kafka ready in %.1f s (pid %d), topics %s; log %s%n",
                seconds(kafka.lastStartDuration()), kafka.pid(), String.join(", ", topics.keySet()), kafka.logFile());
        return kafka;
    }

    CassandraNode startCassandra() {
        out.printf("starting Cassandra on 127.0.0.1:%d (first start: ~20-60 s) ...%n", options.cassandraPort());
        PipelineConnection connection =
                PipelineConnection.create(options.dataDir(), options.cassandraPort(), cassandraPassword());
        CassandraNode cassandra = CassandraNode.builder(options.dataDir().resolve("cassandra"))
                .heap(CassandraNode.PIPELINE_HEAP)
                .port(options.cassandraPort())
                .credentials(connection.username(), connection.password())
                .readerCredentials(
                        CassandraNode.READER_USERNAME,
                        SecretFile.readOrCreate(options.dataDir().resolve(PipelineMain.READER_PASSWORD_FILE)))
                .start();
        stops.push(() -> {
            out.println("stopping Cassandra");
            cassandra.stop();
        });
        try (CqlSession session = cassandra.session()) {
            for (String statement : CassandraSchema.statements(CassandraSchema.Replication.simple(1))) {
                session.execute(statement);
            }
        }
        cassandra.grantReadOnly(CassandraSchema.DEFAULT_KEYSPACE); // the query service's role
        connection.save();
        out.printf(
                "  Cassandra ready in %.1f s (pid %d), schema %s applied; log %s%n",
                seconds(cassandra.lastStartDuration()),
                cassandra.pid(),
                CassandraSchema.DEFAULT_KEYSPACE,
                cassandra.logFile());
        return cassandra;
    }

    private String cassandraPassword() {
        return SecretFile.readOrCreate(options.dataDir().resolve(PipelineMain.PASSWORD_FILE));
    }

    SparkCluster startSpark() {
        out.printf("starting Spark master on 127.0.0.1:%d and a worker ...%n", options.sparkPort());
        SparkCluster spark = SparkCluster.builder(options.dataDir().resolve("spark"))
                .masterPort(options.sparkPort())
                .workerCoresForPipeline()
                .start();
        stops.push(() -> {
            out.println("stopping Spark master and worker");
            spark.stop();
        });
        out.printf(
                "  Spark ready (master %.1f s, worker %.1f s); UI %s%n",
                seconds(spark.masterStartDuration()), seconds(spark.workerStartDuration()), spark.webUiUrl());
        return spark;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
