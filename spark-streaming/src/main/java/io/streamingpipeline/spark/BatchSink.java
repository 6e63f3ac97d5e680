package io.streamingpipeline.spark;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Where the rows of one micro-batch go. The job writes to Cassandra and, for dead letters, Kafka ({@link DeadLetterSink}); tests collect rows in memory. */
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
}
