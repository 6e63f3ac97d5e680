package io.streamingpipeline.spark;

import static io.streamingpipeline.spark.SparkConfMaps.asMap;
import static io.streamingpipeline.spark.SparkConfMaps.scalaMap;

import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.spark.candles.CassandraCandleStore;
import io.streamingpipeline.spark.candles.SourceTopic;
import io.streamingpipeline.spark.cassandra.TableWriter;
import io.streamingpipeline.spark.health.HealthServer;
import io.streamingpipeline.spark.health.PipelineMetrics;
import io.streamingpipeline.spark.health.SkippedOffsets;
import io.streamingpipeline.spark.health.StreamingHealth;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka trades into Cassandra, one streaming query ("trades", checkpoint under {@code --checkpoint-location}):
 * <pre>
 *   Kafka (crypto_trades) ── parse + validate ─┬─ valid ─┬─────────────────────────► spark_streaming.crypto_trades
 *                                              │         └─ candles of the batch ─ merge ► spark_streaming.crypto_candles_1m
 *                                              └─ rejected ─► Kafka crypto_trades_dlq
 * </pre>
 *
 * <pre>
 * spark-submit --class io.streamingpipeline.spark.TradesToCassandraJob spark-streaming-job.jar \
 *     --bootstrap-servers kafka:9092 --checkpoint-location /checkpoints/trades-to-cassandra --cassandra-host cassandra
 * spark-submit --class io.streamingpipeline.spark.TradesToCassandraJob spark-streaming-job.jar \
 *     --apply-schema --cassandra-host cassandra --replication SimpleStrategy:1
 * </pre>
 */
public final class TradesToCassandraJob {

    private static final Logger LOG = LoggerFactory.getLogger(TradesToCassandraJob.class);

    public static final String TRADES_QUERY = "trades";
    private static final Duration START_CHECK_TIMEOUT = Duration.ofSeconds(30);

    /** Exit code: an option is missing or wrong; stderr lists each one. */
    public static final int EXIT_INVALID_SETTINGS = 2;
    /**
     * Exit code: the job refused to start ({@link StartRefusedException}); the stderr line starting with
     * {@value #REFUSED} says what to do. Starting it again unchanged cannot help. Any other failure exits 1.
     */
    public static final int EXIT_REFUSED = 3;

    public static final String REFUSED = "Refused to start: ";

    /**
     * The environment variable naming the file the driver writes its reason to when it exits 2 or 3 (instead of
     * Kubernetes' {@code /dev/termination-log}): see {@link TerminationMessage}.
     */
    public static final String TERMINATION_MESSAGE_PATH = "TERMINATION_MESSAGE_PATH";

    private TradesToCassandraJob() {}

    public static void main(String[] args) throws Exception {
        SparkConf conf = new SparkConf();
        try {
            JobSettings settings = JobSettings.parse(args, asMap(conf));
            switch (settings.command()) {
                case HELP -> System.out.println(JobSettings.usage());
                case APPLY_SCHEMA -> SchemaCommand.apply(settings, conf.setAll(scalaMap(settings.sparkConf())));
                case RUN -> run(settings, conf);
            }
        } catch (InvalidSettingsException e) {
            exit(EXIT_INVALID_SETTINGS, e.getMessage());
        } catch (StartRefusedException e) {
            exit(EXIT_REFUSED, REFUSED + e.getMessage());
        }
    }

    /** Says why on stderr and in the termination message ({@link TerminationMessage}), then exits with {@code code}. */
    private static void exit(int code, String why) {
        System.err.println(why);
        TerminationMessage.write(System.getenv(), why);
        System.exit(code);
    }

    static void run(JobSettings settings, SparkConf conf) throws Exception {
        LOG.info("Starting with {}", settings);
        conf.setAll(scalaMap(settings.sparkConf()));
        conf.setIfMissing("spark.app.name", "trades-to-cassandra");
        // Up to 200 rows of one Cassandra partition (symbol and day) per unlogged batch, i.e. one mutation, instead of
        // the connector's 1 KiB batches, and more of them in flight per task: less work for Cassandra per trade
        // (bench/sink: about +20 % rows/s; bench/latency: shorter micro-batches).
        conf.setIfMissing("spark.cassandra.output.batch.grouping.key", "partition");
        conf.setIfMissing("spark.cassandra.output.batch.size.rows", "200");
        conf.setIfMissing("spark.cassandra.output.concurrent.writes", "16");
        // A null column is left unset instead of written as a tombstone (most trades have no conditions). Safe for
        // both tables: a trade row is only ever rewritten with the same values, and a candle's columns only go from
        // null to a value (vwap, once the minute has volume).
        conf.setIfMissing("spark.cassandra.output.ignoreNulls", "true");
        List<String> unsupported = TableWriter.unsupportedSettings(conf);
        if (!unsupported.isEmpty()) {
            throw new InvalidSettingsException(unsupported);
        }
        SinkTablesCheck.Tables tables = SchemaCommand.verify(settings, conf);
        DeadLetterTopicCheck.verify(settings, START_CHECK_TIMEOUT);
        SourceTopic topic = TradesTopicCheck.describe(settings, START_CHECK_TIMEOUT);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        TradesTopicCheck.checkpointReads(
                topic, checkpoint(settings, TRADES_QUERY), spark.sparkContext().hadoopConfiguration());
        SinkTablesCheck.checkpointWrote(
                settings.keyspace(),
                tables,
                checkpoint(settings, TRADES_QUERY),
                spark.sparkContext().hadoopConfiguration());
        if (!spark.conf().contains(LocalCheckpoints.FILE_MANAGER_CLASS)
                && LocalCheckpoints.isLocal(
                        settings.checkpointLocation(), spark.sparkContext().hadoopConfiguration())) {
            // see LocalCheckpoints: plain Java I/O instead of two forked processes per checkpoint file
            spark.conf().set(LocalCheckpoints.FILE_MANAGER_CLASS, LocalCheckpoints.FILE_SYSTEM_BASED);
            LOG.info(
                    "Checkpoint on a local file system: {}={}",
                    LocalCheckpoints.FILE_MANAGER_CLASS,
                    LocalCheckpoints.FILE_SYSTEM_BASED);
        }

        PipelineMetrics metrics = new PipelineMetrics();
        StreamingHealth health =
                new StreamingHealth(Set.of(TRADES_QUERY), settings.healthProgressTimeout(), Clock.systemUTC());
        spark.streams().addListener(health);
        SkippedOffsets skippedOffsets = new SkippedOffsets(settings.topic(), metrics);
        spark.streams().addListener(skippedOffsets);
        HealthServer healthServer = settings.healthPort() < 0
                ? null
                : HealthServer.start(settings.healthBindAddress(), settings.healthPort(), health, metrics);
        if (healthServer != null) {
            LOG.info(
                    "Health on http://{}:{}{}, {}, {}",
                    settings.healthBindAddress(),
                    healthServer.port(),
                    HealthServer.LIVE,
                    HealthServer.READY,
                    HealthServer.METRICS);
        }
        try {
            // source → parse with the contract's schema → validate → trades table, candle table, dead-letter topic
            StreamingQuery trades = kafkaTrades(spark, settings.kafkaSourceOptions())
                    .writeStream()
                    .queryName(TRADES_QUERY)
                    .trigger(Trigger.ProcessingTime(settings.triggerInterval().toMillis(), TimeUnit.MILLISECONDS))
                    .option("checkpointLocation", checkpoint(settings, TRADES_QUERY))
                    .foreachBatch(new TradesBatchWriter(
                            settings.maxFutureSkew(),
                            topic,
                            BatchSink.cassandraTable(settings.keyspace(), CassandraSchema.TRADES_TABLE),
                            CassandraSchema.TRADES_TABLE,
                            new CassandraCandleStore(
                                    CassandraConnector.apply(
                                            spark.sparkContext().getConf()),
                                    settings.keyspace(),
                                    CassandraSchema.CANDLES_TABLE),
                            CassandraSchema.CANDLES_TABLE,
                            new DeadLetterSink(settings.kafkaClientOptions(), settings.deadLetterTopic(), metrics),
                            settings.deadLetterTopic(),
                            metrics,
                            skippedOffsets,
                            System::currentTimeMillis))
                    .start();

            GracefulStop.onShutdown(List.of(trades), settings.gracefulStopTimeout());
            awaitEnd(spark, List.of(trades), settings);
        } finally {
            if (healthServer != null) {
                healthServer.close();
            }
        }
    }

    /** The Kafka source: key, value, topic, partition, offset, timestamp of each record. */
    private static Dataset<Row> kafkaTrades(SparkSession spark, Map<String, String> sourceOptions) {
        return spark.readStream().format("kafka").options(sourceOptions).load();
    }

    private static String checkpoint(JobSettings settings, String query) {
        String base = settings.checkpointLocation();
        return (base.endsWith("/") ? base : base + "/") + query;
    }

    /**
     * Returns when the queries stopped (SIGTERM, see {@link GracefulStop}); if one failed, stops the other after its
     * current batch and rethrows, so that the driver exits non-zero and is restarted.
     */
    private static void awaitEnd(SparkSession spark, List<StreamingQuery> queries, JobSettings settings)
            throws Exception {
        try {
            spark.streams().awaitAnyTermination();
        } finally {
            List<StreamingQuery> running =
                    queries.stream().filter(StreamingQuery::isActive).toList();
            if (!running.isEmpty() && !GracefulStop.shuttingDown()) {
                LOG.info(
                        "A query ended; stopping {}",
                        running.stream().map(StreamingQuery::name).toList());
                GracefulStop.stopAll(running, settings.gracefulStopTimeout());
            }
        }
        for (StreamingQuery q : queries) {
            if (q.exception().isDefined()) {
                throw q.exception().get();
            }
        }
        LOG.info(
                GracefulStop.shuttingDown()
                        ? "Shutting down: the shutdown hook stops the queries"
                        : "All queries stopped");
    }
}
