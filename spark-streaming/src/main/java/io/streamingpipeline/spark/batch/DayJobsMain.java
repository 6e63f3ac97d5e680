package io.streamingpipeline.spark.batch;

import static io.streamingpipeline.spark.SparkConfMaps.asMap;
import static io.streamingpipeline.spark.SparkConfMaps.scalaMap;

import io.streamingpipeline.spark.InvalidSettingsException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The day jobs, one Spark application per run:
 * <pre>
 * spark-submit --class io.streamingpipeline.spark.batch.DayJobsMain spark-streaming-job.jar \
 *     daily-close --day 2026-01-15 --bootstrap-servers kafka:9092 --cassandra-host cassandra ... \
 *     --ops-jdbc-url jdbc:postgresql://postgres:5432/pipeline_ops --ops-user pipeline_ops --ops-password-file /secrets/ops
 * </pre>
 * Exit code 0: done (for the close: everything agrees); 1: the close found a mismatch (one line per symbol on
 * stderr); 2: bad arguments; 3: the job failed (Kafka, Cassandra or Postgres unreachable, ...).
 */
public final class DayJobsMain {

    public static final int OK = 0;
    public static final int MISMATCH = 1;
    public static final int BAD_ARGUMENTS = 2;
    public static final int FAILED = 3;

    private static final Logger LOG = LoggerFactory.getLogger(DayJobsMain.class);

    private DayJobsMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        SparkConf conf = new SparkConf();
        DayJobSettings settings;
        try {
            settings = DayJobSettings.parse(args, asMap(conf));
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            return BAD_ARGUMENTS;
        }
        if (settings.help()) {
            System.out.println(DayJobSettings.usage(settings.command()));
            return OK;
        }
        LOG.info("Starting with {}", settings);
        try {
            return execute(settings, conf);
        } catch (RuntimeException e) {
            LOG.error("{} of {} failed", settings.command().label(), settings.day(), e);
            System.err.println(
                    "FAILED " + settings.command().label() + " --day " + settings.day() + ": " + e.getMessage());
            return FAILED;
        }
    }

    private static int execute(DayJobSettings settings, SparkConf conf) {
        settings.opsDatabase().ifPresent(OpsDatabase::createTables); // Postgres checked before any Spark work
        conf.setAll(scalaMap(settings.connections().sparkConf()));
        conf.setIfMissing("spark.app.name", settings.command().label() + "-" + settings.day());
        // as the streaming job writes: up to 200 rows of one partition per unlogged batch, null columns left unset
        conf.setIfMissing("spark.cassandra.output.batch.grouping.key", "partition");
        conf.setIfMissing("spark.cassandra.output.batch.size.rows", "200");
        conf.setIfMissing("spark.cassandra.output.ignoreNulls", "true");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            DayData data = new DayData(spark, settings.connections(), settings.day(), settings.kafkaMargin());
            return switch (settings.command()) {
                case DAILY_CLOSE -> dailyClose(data, settings.opsDatabase().orElseThrow());
                case ROLLUPS -> {
                    Rollups.Result r = Rollups.run(spark, data, settings.connections());
                    System.out.println("ROLLUPS " + settings.day() + ": " + r.hourly() + " hourly and " + r.daily()
                            + " daily candles written");
                    yield OK;
                }
                case REPLAY -> replay(spark, data, settings);
            };
        } finally {
            spark.stop();
        }
    }

    private static int dailyClose(DayData data, OpsDatabase ops) {
        Instant checkedAt = Instant.now();
        List<SymbolClose> results = DailyClose.run(data);
        ops.writeClose(data.day(), results, checkedAt);
        long mismatches = results.stream().filter(r -> !r.ok()).count();
        for (SymbolClose r : results) {
            (r.ok() ? System.out : System.err).println(r.line());
        }
        System.out.println("DAILY CLOSE " + data.day() + ": " + results.size() + " symbols, "
                + (results.size() - mismatches) + " ok, " + mismatches + " mismatch"
                + (mismatches == 1 ? "" : "es") + " (Postgres table " + OpsDatabase.DAILY_CLOSE_TABLE + ")");
        System.out.flush();
        System.err.flush();
        return mismatches == 0 ? OK : MISMATCH;
    }

    private static int replay(SparkSession spark, DayData data, DayJobSettings settings) {
        OpsDatabase ops = settings.opsDatabase().orElseThrow();
        UUID runId = UUID.randomUUID();
        ops.replayStarted(runId, data.day(), Instant.now());
        DayReplay.Result result;
        try {
            result = DayReplay.run(spark, data, settings.connections().keyspace());
        } catch (RuntimeException e) {
            ops.replayFinished(runId, null, e.getClass().getSimpleName() + ": " + e.getMessage(), Instant.now());
            throw e;
        }
        ops.replayFinished(runId, result, null, Instant.now());
        System.out.println("REPLAY " + data.day() + " (run " + runId + "): " + result.kafkaTrades()
                + " trades of the day read from Kafka and upserted, " + result.candlesWritten()
                + " 1-minute candles recomputed from the stored trades, " + result.candlesDeleted()
                + " candles without trades deleted");
        return OK;
    }
}
