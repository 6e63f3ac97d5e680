package io.streamingpipeline.spark;

import io.streamingpipeline.spark.cassandra.TableWriter;
import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Where the rows of one micro-batch go. The job writes to Cassandra and, for dead letters, Kafka ({@link DeadLetterSink}); tests collect rows in memory. */
@FunctionalInterface
public interface BatchSink extends Serializable {

    /** Writes the rows in one Spark job, which reads each row once (the trade batch is tallied as that job reads it). */
    void write(Dataset<Row> rows);

    /**
     * Upserts into a Cassandra table from the tasks that compute the rows ({@link TableWriter}: connection settings
     * from the session's {@code spark.cassandra.*} conf, batch size and concurrency from
     * {@code spark.cassandra.output.*}). The columns must be named as the table's.
     */
    static BatchSink cassandraTable(String keyspace, String table) {
        return rows -> rows.foreachPartition(
                TableWriter.of(rows.sparkSession().sparkContext().getConf(), keyspace, table, rows.schema()));
    }
}
