package io.streamingpipeline.spark;

import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.TradeContract.DeadLetterFields;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

/** Rejected records as Kafka records of the dead-letter topic: key as received, value the contract's DeadLetter JSON. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** The {@code source} of every dead letter this job writes. */
    public static final String SOURCE = "spark";

    /**
     * @param rejected     as {@link TradeParsing#rejected} gives them
     * @param rejectedAtMillis the {@code rejected_at} of every record, UNIX milliseconds
     * @return columns {@code key} (binary) and {@code value} (JSON text), as the Kafka writer wants them
     */
    public static Dataset<Row> records(Dataset<Row> rejected, long rejectedAtMillis) {
        Column raw = coalesce(col(TradeParsing.RAW), lit(""));
        Column truncated = when(length(raw).gt(DeadLetter.MAX_RAW_CHARS),
                concat(substring(raw, 1, DeadLetter.MAX_RAW_CHARS), lit(DeadLetter.TRUNCATED_MARK)))
                .otherwise(raw);
        Column value = to_json(struct(
                col(TradeParsing.REJECT_REASON).as(DeadLetterFields.REASON),
                col(TradeParsing.REJECT_DETAIL).as(DeadLetterFields.DETAIL),
                truncated.as(DeadLetterFields.RAW),
                lit(SOURCE).as(DeadLetterFields.SOURCE),
                lit(rejectedAtMillis).as(DeadLetterFields.REJECTED_AT)));
        return rejected.select(col(TradeParsing.KAFKA_KEY).as("key"), value.as("value"));
    }
}
