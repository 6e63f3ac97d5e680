package io.streamingpipeline.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

import java.io.Serializable;
import java.util.Map;

/** Where the rows of one micro-batch go. The job writes to Cassandra and Kafka; tests collect rows in memory. */
@FunctionalInterface
public interface BatchSink extends Serializable {

    /** Writes the rows in one Spark job, which reads each row once (the trade batch is tallied as that job reads it). */
    void write(Dataset<Row> rows);

    /**
     * Upserts into a Cassandra table through the spark-cassandra-connector (connection settings come from the
     * session's {@code spark.cassandra.*} conf; batch size and concurrency from {@code spark.cassandra.output.*}).
     * The columns must be named as the table's.
     */
    static BatchSink cassandraTable(String keyspace, String table) {
        return rows -> rows.write()
                .format("org.apache.spark.sql.cassandra")
                .option("keyspace", keyspace)
                .option("table", table)
                .mode(SaveMode.Append)
                .save();
    }

    /** Appends to a Kafka topic; the rows need a {@code value} column (and may have a {@code key}). */
    static BatchSink kafkaTopic(Map<String, String> kafkaClientOptions, String topic) {
        Map<String, String> options = Map.copyOf(kafkaClientOptions);
        return rows -> rows.write()
                .format("kafka")
                .options(options)
                .option("topic", topic)
                .save();
    }
}
