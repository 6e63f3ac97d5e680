package io.streamingpipeline.spark.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.CassandraSchema.RollupColumns;
import io.streamingpipeline.spark.JobSettings;
import java.time.Duration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hourly and daily candles of day D ({@code crypto_candles_1h}, {@code crypto_candles_1d}) from D's 1-minute
 * candles: open of the first minute, close of the last, the extremes, volume and trade count summed, VWAP weighted
 * by volume. Rows are upserted by key, so a second run rewrites the same rows (with any candle that changed since).
 */
public final class Rollups {

    private static final Logger LOG = LoggerFactory.getLogger(Rollups.class);
    private static final long HOUR_MILLIS = 3_600_000L;
    private static final long DAY_MILLIS = 86_400_000L;

    /** How many rows each table received. */
    public record Result(long hourly, long daily) {}

    private Rollups() {}

    public static Result run(SparkSession spark, DayData data, JobSettings settings) {
        createTables(spark, settings);
        Dataset<Row> minutes = data.stored(CassandraSchema.CANDLES_TABLE, data.storedSymbols())
                .withColumn("m", expr("unix_millis(" + CandleColumns.MINUTE_START + ")"))
                .cache();
        try {
            Dataset<Row> hourly = rollup(minutes, HOUR_MILLIS)
                    .select(values(
                            col(CandleColumns.SYMBOL).as(RollupColumns.SYMBOL),
                            expr("date_format(timestamp_millis(bucket), 'yyyy-MM')")
                                    .as(RollupColumns.MONTH),
                            expr("timestamp_millis(bucket)").as(RollupColumns.HOUR_START)));
            Dataset<Row> daily = rollup(minutes, DAY_MILLIS)
                    .select(values(
                            col(CandleColumns.SYMBOL).as(RollupColumns.SYMBOL),
                            expr("date_format(timestamp_millis(bucket), 'yyyy')")
                                    .as(RollupColumns.YEAR),
                            expr("timestamp_millis(bucket)").as(RollupColumns.DAY_START)));
            long h = write(hourly.cache(), settings.keyspace(), CassandraSchema.CANDLES_1H_TABLE);
            long d = write(daily.cache(), settings.keyspace(), CassandraSchema.CANDLES_1D_TABLE);
            Result result = new Result(h, d);
            LOG.info("Rollups of {}: {}", data.day(), result);
            return result;
        } finally {
            minutes.unpersist();
        }
    }

    /** The period's candle per symbol and bucket (the period's first millisecond, column {@code bucket}). */
    static Dataset<Row> rollup(Dataset<Row> minutes, long periodMillis) {
        return minutes.withColumn("bucket", expr("m - pmod(m, " + periodMillis + ")"))
                .groupBy(col(CandleColumns.SYMBOL), col("bucket"))
                .agg(
                        expr("min_by(" + CandleColumns.OPEN + ", m)").as(RollupColumns.OPEN),
                        max(CandleColumns.HIGH).as(RollupColumns.HIGH),
                        min(CandleColumns.LOW).as(RollupColumns.LOW),
                        expr("max_by(" + CandleColumns.CLOSE + ", m)").as(RollupColumns.CLOSE),
                        sum(CandleColumns.VOLUME).as(RollupColumns.VOLUME),
                        sum(CandleColumns.TRADE_COUNT).as(RollupColumns.TRADE_COUNT),
                        sum(when(
                                                col(CandleColumns.VWAP).isNotNull(),
                                                col(CandleColumns.VWAP).multiply(col(CandleColumns.VOLUME)))
                                        .otherwise(lit(0.0)))
                                .as("notional"),
                        count(lit(1)).cast("int").as(RollupColumns.MINUTE_COUNT));
    }

    private static Column[] values(Column symbol, Column bucket, Column start) {
        return new Column[] {
            symbol,
            bucket,
            start,
            col(RollupColumns.OPEN),
            col(RollupColumns.HIGH),
            col(RollupColumns.LOW),
            col(RollupColumns.CLOSE),
            col(RollupColumns.VOLUME),
            col(RollupColumns.TRADE_COUNT),
            when(col(RollupColumns.VOLUME).gt(0), col("notional").divide(col(RollupColumns.VOLUME)))
                    .as(RollupColumns.VWAP),
            col(RollupColumns.MINUTE_COUNT)
        };
    }

    private static long write(Dataset<Row> rows, String keyspace, String table) {
        try {
            rows.write()
                    .format("org.apache.spark.sql.cassandra")
                    .option("keyspace", keyspace)
                    .option("table", table)
                    // a rerun rewrites every column, a VWAP that became null included
                    .option("spark.cassandra.output.ignoreNulls", "false")
                    .mode(SaveMode.Append)
                    .save();
            return rows.count();
        } finally {
            rows.unpersist();
        }
    }

    /** The two tables' statements of the contract's CQL (IF NOT EXISTS): a keyspace of an earlier version gets them. */
    private static void createTables(SparkSession spark, JobSettings settings) {
        try (CqlSession session =
                CassandraConnector.apply(spark.sparkContext().getConf()).openSession()) {
            for (String statement : CassandraSchema.statements(
                    settings.keyspace(), settings.replication(), settings.tradesTtl(), settings.candlesTtl())) {
                if (statement.contains("." + CassandraSchema.CANDLES_1H_TABLE + " (")
                        || statement.contains("." + CassandraSchema.CANDLES_1D_TABLE + " (")) {
                    session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(60)));
                }
            }
        }
    }
}
