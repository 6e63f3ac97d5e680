package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.spark.health.HealthServer;
import io.streamingpipeline.spark.health.PipelineMetrics;
import io.streamingpipeline.spark.health.StreamingHealth;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Kafka trades into Cassandra:
 * <pre>
 *   Kafka (crypto_trades) ─┬─ parse + validate ─┬─ valid ────► spark_streaming.crypto_trades        (query "trades")
 *                          │                    └─ rejected ─► Kafka crypto_trades_dlq
 *                          └─ parse + validate ─── valid ─ watermark ─ 1-minute candles
 *                                                        ──► spark_streaming.crypto_candles_1m      (query "candles")
 * </pre>
 * Two queries on the same topic, each with its own checkpoint under {@code --checkpoint-location}: raw trades need
 * no state, candles need a stateful aggregation (update mode) that foreachBatch cannot host alongside them.
 *
 * <pre>
 * spark-submit --class io.streamingpipeline.spark.TradesToCassandraJob spark-streaming-0.1.0-SNAPSHOT-job.jar \
 *     --bootstrap-servers kafka:9092 --checkpoint-location /checkpoints/trades-to-cassandra --cassandra-host cassandra
 * spark-submit --class io.streamingpipeline.spark.TradesToCassandraJob spark-streaming-0.1.0-SNAPSHOT-job.jar \
 *     --apply-schema --cassandra-host cassandra --replication SimpleStrategy:1
 * </pre>
 */
public final class TradesToCassandraJob {

    private static final Logger LOG = LoggerFactory.getLogger(TradesToCassandraJob.class);

    public static final String TRADES_QUERY = "trades";
    public static final String CANDLES_QUERY = "candles";
    /** Spark's local property naming the fair-scheduler pool of the jobs a thread (here: a query) starts. */
    private static final String SCHEDULER_POOL = "spark.scheduler.pool";

    private TradesToCassandraJob() {
    }

    public static void main(String[] args) throws Exception {
        SparkConf conf = new SparkConf();
        JobSettings settings;
        try {
            settings = JobSettings.parse(args, asMap(conf));
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        switch (settings.command()) {
            case HELP -> System.out.println(JobSettings.usage());
            case APPLY_SCHEMA -> SchemaCommand.apply(settings, conf.setAll(scalaMap(settings.sparkConf())));
            case RUN -> run(settings, conf);
        }
    }

    static void run(JobSettings settings, SparkConf conf) throws Exception {
        LOG.info("Starting with {}", settings);
        conf.setAll(scalaMap(settings.sparkConf()));
        conf.setIfMissing("spark.app.name", "trades-to-cassandra");
        // Stateful queries keep this number of state partitions for the life of their checkpoint.
        conf.setIfMissing("spark.sql.shuffle.partitions", "8");
        // Each query runs its jobs in a pool of its own (below): a candle batch does not queue the trade batch's tasks.
        conf.setIfMissing("spark.scheduler.mode", "FAIR");
        // The only cache is a trade batch, dropped at the end of its micro-batch: compressing it costs more than it saves.
        conf.setIfMissing("spark.sql.inMemoryColumnarStorage.compressed", "false");
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
        SchemaCommand.verify(settings, conf);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();

        PipelineMetrics metrics = new PipelineMetrics();
        StreamingHealth health = new StreamingHealth(Set.of(TRADES_QUERY, CANDLES_QUERY),
                settings.healthProgressTimeout(), Clock.systemUTC());
        spark.streams().addListener(health);
        HealthServer healthServer = settings.healthPort() < 0 ? null
                : HealthServer.start(settings.healthBindAddress(), settings.healthPort(), health, metrics);
        if (healthServer != null) {
            LOG.info("Health on http://{}:{}{}, {}, {}", settings.healthBindAddress(), healthServer.port(),
                    HealthServer.LIVE, HealthServer.READY, HealthServer.METRICS);
        }
        try {
            EventTimeWatermark watermark = new EventTimeWatermark(settings.watermark(),
                    () -> health.watermarkMillis(CANDLES_QUERY));

            // source → parse with the contract's schema → validate → trades table + dead-letter topic
            spark.sparkContext().setLocalProperty(SCHEDULER_POOL, TRADES_QUERY);
            StreamingQuery trades = kafkaTrades(spark, settings.kafkaSourceOptions()).writeStream()
                    .queryName(TRADES_QUERY)
                    .trigger(Trigger.ProcessingTime(settings.triggerInterval().toMillis(), TimeUnit.MILLISECONDS))
                    .option("checkpointLocation", checkpoint(settings, TRADES_QUERY))
                    .foreachBatch(new TradesBatchWriter(settings.maxFutureSkew(),
                            BatchSink.cassandraTable(settings.keyspace(), CassandraSchema.TRADES_TABLE),
                            CassandraSchema.TRADES_TABLE,
                            BatchSink.kafkaTopic(settings.kafkaClientOptions(), settings.deadLetterTopic()),
                            settings.deadLetterTopic(), watermark, metrics, System::currentTimeMillis))
                    .start();

            // source → parse → valid trades → watermark → 1-minute candles → candle table
            spark.sparkContext().setLocalProperty(SCHEDULER_POOL, CANDLES_QUERY);
            Dataset<Row> validTrades = TradeParsing.parse(kafkaTrades(spark, settings.candlesKafkaSourceOptions()),
                    settings.maxFutureSkew()).valid();
            StreamingQuery candles = Candles.oneMinute(
                            validTrades.withWatermark(TradeParsing.EVENT_TIME, settings.watermark().toMillis() + " milliseconds"))
                    .writeStream()
                    .queryName(CANDLES_QUERY)
                    .outputMode(OutputMode.Update())
                    .trigger(Trigger.ProcessingTime(settings.candlesTriggerInterval().toMillis(), TimeUnit.MILLISECONDS))
                    .option("checkpointLocation", checkpoint(settings, CANDLES_QUERY))
                    .foreachBatch(new CandlesBatchWriter(
                            BatchSink.cassandraTable(settings.keyspace(), CassandraSchema.CANDLES_TABLE),
                            CassandraSchema.CANDLES_TABLE, metrics))
                    .start();

            GracefulStop.onShutdown(List.of(trades, candles), settings.gracefulStopTimeout());
            awaitEnd(spark, List.of(trades, candles), settings);
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
    private static void awaitEnd(SparkSession spark, List<StreamingQuery> queries, JobSettings settings) throws Exception {
        try {
            spark.streams().awaitAnyTermination();
        } finally {
            List<StreamingQuery> running = queries.stream().filter(StreamingQuery::isActive).toList();
            if (!running.isEmpty() && !GracefulStop.shuttingDown()) {
                LOG.info("A query ended; stopping {}", running.stream().map(StreamingQuery::name).toList());
                GracefulStop.stopAll(running, settings.gracefulStopTimeout());
            }
        }
        for (StreamingQuery q : queries) {
            if (q.exception().isDefined()) {
                throw q.exception().get();
            }
        }
        LOG.info(GracefulStop.shuttingDown() ? "Shutting down: the shutdown hook stops the queries" : "All queries stopped");
    }

    private static Map<String, String> asMap(SparkConf conf) {
        Map<String, String> map = new HashMap<>();
        for (Tuple2<String, String> entry : conf.getAll()) {
            map.put(entry._1(), entry._2());
        }
        return map;
    }

    private static scala.collection.Iterable<Tuple2<String, String>> scalaMap(Map<String, String> map) {
        return scala.collection.JavaConverters.mapAsScalaMapConverter(map).asScala();
    }
}
