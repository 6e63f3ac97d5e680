package io.streamingpipeline.spark;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One local SparkSession for every test class of the suite (Surefire runs them in one JVM): starting Spark takes
 * seconds, a query on a few rows milliseconds. Never stopped by a test; the JVM's end stops it.
 */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    // two threads; a failed task is tried once more, as on a cluster (there four times)
                    .master("local[2,2]")
                    .appName("spark-streaming-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true")
                    .getOrCreate();
        }
        return session;
    }

    /**
     * Kafka-source-like rows (key, value as bytes, timestamp, partition, offset) from record values; key null, time
     * {@code kafkaTime}, partition 0, offsets from 0.
     */
    public static Dataset<Row> kafkaRows(long kafkaTimeMillis, String... values) {
        return kafkaRows(kafkaTimeMillis, 0, values);
    }

    /** Like {@link #kafkaRows(long, String...)}, with offsets from {@code firstOffset} in the order given. */
    public static Dataset<Row> kafkaRows(long kafkaTimeMillis, long firstOffset, String... values) {
        StructType schema = new StructType()
                .add("key", DataTypes.BinaryType, true)
                .add("value", DataTypes.BinaryType, true)
                .add("timestamp", DataTypes.TimestampType, true)
                .add("partition", DataTypes.IntegerType, true)
                .add("offset", DataTypes.LongType, true);
        List<Row> rows = new ArrayList<>();
        long offset = firstOffset;
        for (String value : values) {
            rows.add(RowFactory.create(
                    "BINANCE:BTCUSDT".getBytes(StandardCharsets.UTF_8),
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                    new Timestamp(kafkaTimeMillis),
                    0,
                    offset++));
        }
        return session().createDataFrame(rows, schema);
    }
}
