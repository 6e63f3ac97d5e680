package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.RejectReason;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Kafka records of the trades topic into trades, with the contract's explicit schema and the ingestor's rules:
 * symbol non-empty (at most 64 characters), price finite and &gt; 0, volume finite and &ge; 0, trade time in UNIX
 * milliseconds between 2000-01-01 and the Kafka record time plus the allowed skew, conditions an array of strings
 * or null, id a UUID. A record that breaks a rule is not dropped and does not fail the query: it comes out with a
 * {@link #REJECT_REASON} (a {@link RejectReason} label) and a {@link #REJECT_DETAIL}. Each record is checked by
 * {@link TradeRecordCheck}, once, however many datasets are derived from the classified one.
 */
public final class TradeParsing {

    private TradeParsing() {
    }

    /** Null for a valid trade, else why it was rejected. */
    public static final String REJECT_REASON = "reject_reason";
    /** Null for a valid trade, else a human-readable explanation. */
    public static final String REJECT_DETAIL = "reject_detail";
    /** The record value as text, kept for rejected records only (the dead-letter topic's copy). */
    public static final String RAW = "raw";
    /** The record key, as received (bytes). */
    public static final String KAFKA_KEY = "kafka_key";
    /** Reason of a record whose {@code id} is not a UUID (the ingestor assigns ids, so only a foreign producer sends one). */
    public static final String INVALID_ID = RejectReason.INVALID_ID.label();

    /** The columns of {@link #rejected}. */
    private static final List<String> REJECTED_COLUMNS = List.of(KAFKA_KEY, RAW, REJECT_REASON, REJECT_DETAIL);

    /** A classified record: the trade table's columns, then the Kafka key, the raw value, reason and detail. */
    static final StructType CLASSIFIED_SCHEMA = classifiedSchema();
    private static final String[] CLASSIFIED_COLUMNS = CLASSIFIED_SCHEMA.fieldNames();

    /** Spark type of each trade table column. */
    private static DataType typeOf(String column) {
        return switch (column) {
            case TradeColumns.ID, TradeColumns.SYMBOL, TradeColumns.DAY -> DataTypes.StringType;
            case TradeColumns.PRICE, TradeColumns.VOLUME -> DataTypes.DoubleType;
            case TradeColumns.TIMESTAMP_UNIX, TradeColumns.INGESTED_AT -> DataTypes.LongType;
            case TradeColumns.CONDITIONS -> DataTypes.createArrayType(DataTypes.StringType, true);
            default -> throw new IllegalStateException("trade column without a Spark type: " + column);
        };
    }

    private static StructType classifiedSchema() {
        StructType schema = new StructType();
        for (String column : TradeColumns.ALL) {
            schema = schema.add(column, typeOf(column), true);
        }
        return schema.add(KAFKA_KEY, DataTypes.BinaryType, true)
                .add(RAW, DataTypes.StringType, true)
                .add(REJECT_REASON, DataTypes.StringType, true)
                .add(REJECT_DETAIL, DataTypes.StringType, true);
    }

    /**
     * Checks the {@code value} of Kafka rows (columns {@code key}, {@code value}, {@code timestamp} as the Kafka
     * source gives them): rows of {@link #CLASSIFIED_SCHEMA}, one per record. A valid trade has its UTC {@code day}
     * and its id in lower case, and no conditions is null whether the array was empty, null or absent.
     */
    public static Dataset<Row> classify(Dataset<Row> kafkaRows, Duration maxFutureSkew) {
        return kafkaRows.select(col("key"), col("value"), col("timestamp"))
                .mapPartitions(new Classifier(maxFutureSkew), Encoders.row(CLASSIFIED_SCHEMA));
    }

    /** Valid trades of a {@link #classify classified} input: the trade table's columns. */
    public static Dataset<Row> valid(Dataset<Row> classified) {
        return classified.filter(col(REJECT_REASON).isNull())
                .select(TradeColumns.ALL.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** Rejected records of a {@link #classify classified} input: key, raw value, reason and detail. */
    public static Dataset<Row> rejected(Dataset<Row> classified) {
        return classified.filter(col(REJECT_REASON).isNotNull())
                .select(REJECTED_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** (key, value, timestamp) rows into classified rows. */
    private record Classifier(Duration maxFutureSkew) implements MapPartitionsFunction<Row, Row> {

        @Override
        public Iterator<Row> call(Iterator<Row> records) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return records.hasNext();
                }

                @Override
                public Row next() {
                    return classified(records.next());
                }
            };
        }

        private Row classified(Row record) {
            byte[] value = (byte[]) record.get(1);
            // the Kafka source always sets the time; without one, the trade time is checked against the clock
            Timestamp kafkaTime = record.getTimestamp(2);
            TradeRecordCheck.Checked t = TradeRecordCheck.check(value,
                    kafkaTime == null ? System.currentTimeMillis() : kafkaTime.getTime(), maxFutureSkew);
            Object[] columns = new Object[CLASSIFIED_COLUMNS.length];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = switch (CLASSIFIED_COLUMNS[i]) {
                    case TradeColumns.ID -> t.id();
                    case TradeColumns.SYMBOL -> t.symbol();
                    case TradeColumns.PRICE -> t.price();
                    case TradeColumns.VOLUME -> t.volume();
                    case TradeColumns.TIMESTAMP_UNIX -> t.timestampUnix();
                    case TradeColumns.CONDITIONS -> t.conditions();
                    case TradeColumns.INGESTED_AT -> t.ingestedAt();
                    case TradeColumns.DAY -> t.day();
                    case KAFKA_KEY -> record.get(0);
                    case RAW -> t.valid() ? null : TradeRecordCheck.text(value);
                    case REJECT_REASON -> t.rejectReason();
                    case REJECT_DETAIL -> t.rejectDetail();
                    default -> throw new IllegalStateException("classified column without a value: " + CLASSIFIED_COLUMNS[i]);
                };
            }
            return RowFactory.create(columns);
        }
    }
}
