package io.streamingpipeline.spark;

import static org.apache.spark.sql.functions.col;

import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.TradeField;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Kafka records of the trades topic into trades, checked by the contract's {@code TradeValidation} (see
 * {@link TradeRecordCheck}). A record that breaks a rule is not dropped and does not fail the query: it comes out with
 * a {@link #REJECT_REASON} (a {@link RejectReason} label) and a {@link #REJECT_DETAIL}. Each record is checked once,
 * however many datasets are derived from the classified one.
 */
public final class TradeParsing {

    private TradeParsing() {}

    /** Null for a valid trade, else why it was rejected. */
    public static final String REJECT_REASON = "reject_reason";
    /** Null for a valid trade, else a human-readable explanation. */
    public static final String REJECT_DETAIL = "reject_detail";
    /** The record value as text, kept for rejected records only (the dead-letter topic's copy). */
    public static final String RAW = "raw";
    /** The record key, as received (bytes). */
    public static final String KAFKA_KEY = "kafka_key";
    /** Reason of a record whose {@code id} is not a lower-case UUIDv7 (the ingestor assigns ids: only a foreign producer sends one). */
    public static final String INVALID_ID = RejectReason.INVALID_ID.label();

    /** The columns of {@link #rejected}. */
    private static final List<String> REJECTED_COLUMNS = List.of(KAFKA_KEY, RAW, REJECT_REASON, REJECT_DETAIL);

    /** A classified record: the trade table's columns, then the Kafka key, the raw value, reason and detail. */
    static final StructType CLASSIFIED_SCHEMA = classifiedSchema();

    private static final int CLASSIFIED_COLUMNS = CLASSIFIED_SCHEMA.size();
    /** A valid trade: the trade table's columns. */
    static final StructType TRADES_SCHEMA = tradesSchema();

    private static final int TRADE_COLUMNS = TradeColumns.ALL.size();
    private static final List<Function<TradeRecordCheck.Checked, Object>> TRADE_COLUMN_VALUES =
            TradeColumns.ALL.stream().map(TradeParsing::valueOf).toList();

    /** Spark type of each trade table column: the contract's Spark SQL type of its field. */
    private static DataType typeOf(String column) {
        return TradeColumns.DAY.equals(column)
                ? DataTypes.StringType
                : DataType.fromDDL(TradeField.ofJsonName(column).type().sparkSql());
    }

    private static StructType tradesSchema() {
        StructType schema = new StructType();
        for (String column : TradeColumns.ALL) {
            schema = schema.add(column, typeOf(column), true);
        }
        return schema;
    }

    private static StructType classifiedSchema() {
        return tradesSchema()
                .add(KAFKA_KEY, DataTypes.BinaryType, true)
                .add(RAW, DataTypes.StringType, true)
                .add(REJECT_REASON, DataTypes.StringType, true)
                .add(REJECT_DETAIL, DataTypes.StringType, true);
    }

    /**
     * Checks the {@code value} of Kafka rows (columns {@code key}, {@code value}, {@code timestamp}, {@code partition},
     * {@code offset} as the Kafka source gives them): rows of {@link #CLASSIFIED_SCHEMA}, one per record. A valid trade has its UTC {@code day}
     * and its id in lower case, and no conditions is null whether the array was empty, null or absent.
     */
    public static Dataset<Row> classify(Dataset<Row> kafkaRows, Duration maxFutureSkew) {
        return kafkaRecords(kafkaRows)
                .mapPartitions(new Classifier(maxFutureSkew, null), Encoders.row(CLASSIFIED_SCHEMA));
    }

    /**
     * The valid trades of Kafka rows, as {@link #classify} finds them, with the trade table's columns; every record
     * checked, valid or not, is added to {@code tally} by the task that checks it. One step: nothing is kept but the
     * valid trades.
     */
    public static Dataset<Row> trades(Dataset<Row> kafkaRows, Duration maxFutureSkew, BatchTally.Accumulator tally) {
        return kafkaRecords(kafkaRows).mapPartitions(new Classifier(maxFutureSkew, tally), Encoders.row(TRADES_SCHEMA));
    }

    /** Rejected records of a {@link #classify classified} input: key, raw value, reason and detail. */
    public static Dataset<Row> rejected(Dataset<Row> classified) {
        return classified
                .filter(col(REJECT_REASON).isNotNull())
                .select(REJECTED_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    private static Dataset<Row> kafkaRecords(Dataset<Row> kafkaRows) {
        // partition and offset: where each candle's trades come from (BatchTally, candles.Candles)
        return kafkaRows.select(col("key"), col("value"), col("timestamp"), col("partition"), col("offset"));
    }

    /**
     * (key, value, timestamp) rows into classified rows; or, with a tally, into the valid trades' rows, counting
     * every record in the tally.
     */
    private record Classifier(Duration maxFutureSkew, BatchTally.Accumulator tally)
            implements MapPartitionsFunction<Row, Row> {

        @Override
        public Iterator<Row> call(Iterator<Row> records) {
            return tally == null ? new Classified(records) : new ValidTrades(records);
        }

        private TradeRecordCheck.Checked check(Row record) {
            // the Kafka source always sets the time; without one, the trade time is checked against the clock
            Timestamp kafkaTime = record.getTimestamp(2);
            return TradeRecordCheck.check(
                    (byte[]) record.get(1),
                    kafkaTime == null ? System.currentTimeMillis() : kafkaTime.getTime(),
                    maxFutureSkew);
        }

        private final class Classified implements Iterator<Row> {
            private final Iterator<Row> records;

            Classified(Iterator<Row> records) {
                this.records = records;
            }

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Row next() {
                Row record = records.next();
                TradeRecordCheck.Checked t = check(record);
                Object[] columns = Arrays.copyOf(tradeColumns(t), CLASSIFIED_COLUMNS);
                int i = TRADE_COLUMNS;
                columns[i++] = record.get(0);
                columns[i++] = t.valid() ? null : TradeRecordCheck.text((byte[]) record.get(1));
                columns[i++] = t.rejectReason();
                columns[i] = t.rejectDetail();
                return RowFactory.create(columns);
            }
        }

        /** Skips the rejected records (after counting them). */
        private final class ValidTrades implements Iterator<Row> {
            private final Iterator<Row> records;
            private TradeRecordCheck.Checked next;

            ValidTrades(Iterator<Row> records) {
                this.records = records;
            }

            @Override
            public boolean hasNext() {
                while (next == null && records.hasNext()) {
                    Row record = records.next();
                    TradeRecordCheck.Checked t = check(record);
                    tally.add(t, record.getInt(3), record.getLong(4));
                    if (t.valid()) {
                        next = t;
                    }
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                TradeRecordCheck.Checked t = next;
                next = null;
                return RowFactory.create(tradeColumns(t));
            }
        }
    }

    /** A checked record's values of the trade table's columns, in {@link TradeColumns#ALL} order. */
    private static Object[] tradeColumns(TradeRecordCheck.Checked t) {
        Object[] values = new Object[TRADE_COLUMNS];
        for (int i = 0; i < values.length; i++) {
            values[i] = TRADE_COLUMN_VALUES.get(i).apply(t);
        }
        return values;
    }

    private static Function<TradeRecordCheck.Checked, Object> valueOf(String column) {
        if (TradeColumns.DAY.equals(column)) {
            return TradeRecordCheck.Checked::day;
        }
        TradeField field = TradeField.ofJsonName(column);
        return checked -> checked.value(field);
    }
}
