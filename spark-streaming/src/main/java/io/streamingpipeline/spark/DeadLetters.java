package io.streamingpipeline.spark;

import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.DeadLetterJson;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rejected records as Kafka records of the dead-letter topic: key as received (cut to
 * {@link DeadLetter#MAX_KEY_BYTES}), value the contract's DeadLetter JSON, key and value together at most
 * {@link DeadLetter#MAX_RECORD_BYTES} however the raw text escapes ({@link DeadLetterJson}).
 */
public final class DeadLetters {

    private DeadLetters() {}

    /** The {@code source} of every dead letter this job writes. */
    public static final String SOURCE = "spark";

    /** Columns {@code key} and {@code value}, both binary, as the Kafka writer wants them. */
    static final StructType SCHEMA =
            new StructType().add("key", DataTypes.BinaryType, true).add("value", DataTypes.BinaryType, false);

    /**
     * @param rejected         as {@link TradeParsing#rejected} gives them
     * @param rejectedAtMillis the {@code rejected_at} of every record, UNIX milliseconds
     * @return columns {@code key} and {@code value} ({@link #SCHEMA})
     */
    public static Dataset<Row> records(Dataset<Row> rejected, long rejectedAtMillis) {
        return rejected.map(new ToRecord(rejectedAtMillis), Encoders.row(SCHEMA));
    }

    private record ToRecord(long rejectedAtMillis) implements MapFunction<Row, Row> {
        @Override
        public Row call(Row row) {
            byte[] key = DeadLetterJson.key(row.getAs(TradeParsing.KAFKA_KEY));
            DeadLetter letter = new DeadLetter(
                    row.getAs(TradeParsing.REJECT_REASON),
                    row.getAs(TradeParsing.REJECT_DETAIL),
                    row.getAs(TradeParsing.RAW),
                    SOURCE,
                    rejectedAtMillis);
            return RowFactory.create(key, DeadLetterJson.value(letter, key == null ? 0 : key.length));
        }
    }
}
