package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.TradeContract.Fields;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

/**
 * Kafka records of the trades topic into trades, with the contract's explicit schema and the ingestor's rules:
 * symbol non-empty (at most 64 characters), price finite and &gt; 0, volume finite and &ge; 0, trade time in UNIX
 * milliseconds between 2000-01-01 and the Kafka record time plus the allowed skew, conditions an array of strings
 * or null, id a UUID. A record that breaks a rule is not dropped and does not fail the query: it comes out with a
 * {@link #REJECT_REASON} (a {@link RejectReason} label, or {@link #INVALID_ID}) and a {@link #REJECT_DETAIL}.
 */
public final class TradeParsing {

    private TradeParsing() {
    }

    /** Null for a valid trade, else why it was rejected. */
    public static final String REJECT_REASON = "reject_reason";
    /** Null for a valid trade, else a human-readable explanation. */
    public static final String REJECT_DETAIL = "reject_detail";
    /** The record value as text. */
    public static final String RAW = "raw";
    /** The record key, as received (bytes). */
    public static final String KAFKA_KEY = "kafka_key";
    /** The record's Kafka timestamp. */
    public static final String KAFKA_TIMESTAMP = "kafka_timestamp";
    /** Reason of a record whose {@code id} is not a UUID (the ingestor assigns ids, so only a foreign producer sends one). */
    public static final String INVALID_ID = RejectReason.INVALID_ID.label();

    /** 2000-01-01T00:00:00Z, as in the ingestor: older trade times are taken for seconds or garbage. */
    public static final long EARLIEST_PLAUSIBLE_MILLIS = 946_684_800_000L;
    public static final int MAX_SYMBOL_CHARS = 64;

    /** The columns of {@link #rejected}. */
    private static final List<String> REJECTED_COLUMNS = List.of(KAFKA_KEY, RAW, REJECT_REASON, REJECT_DETAIL);
    private static final String CORRUPT_RECORD = "_corrupt_record";
    private static final String PARSED = "_parsed";
    private static final String RAW_CONDITIONS = "_raw_conditions";
    private static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    /** The Spark schema of a trade record's JSON value, built from the contract's field names. */
    public static final StructType VALUE_SCHEMA = valueSchema();

    /** Spark type of each contract field. */
    static DataType typeOf(String field) {
        return switch (field) {
            case Fields.ID, Fields.SYMBOL -> DataTypes.StringType;
            case Fields.PRICE, Fields.VOLUME -> DataTypes.DoubleType;
            case Fields.TIMESTAMP_UNIX, Fields.INGESTED_AT -> DataTypes.LongType;
            case Fields.CONDITIONS -> DataTypes.createArrayType(DataTypes.StringType, true);
            default -> throw new IllegalStateException("contract field without a Spark type: " + field);
        };
    }

    private static StructType valueSchema() {
        StructType schema = new StructType();
        for (String field : Fields.ALL) {
            schema = schema.add(field, typeOf(field), true);
        }
        return schema;
    }

    /**
     * Parses the {@code value} of Kafka rows (columns {@code key}, {@code value}, {@code timestamp} as the Kafka
     * source gives them) into the contract's fields plus {@link #REJECT_REASON} and {@link #REJECT_DETAIL}.
     */
    public static Dataset<Row> classify(Dataset<Row> kafkaRows, Duration maxFutureSkew) {
        Column raw = col("value").cast(DataTypes.StringType);
        Dataset<Row> json = kafkaRows.select(
                col("key").as(KAFKA_KEY),
                raw.as(RAW),
                col("timestamp").as(KAFKA_TIMESTAMP),
                from_json(raw, VALUE_SCHEMA.add(CORRUPT_RECORD, DataTypes.StringType, true),
                        Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT_RECORD)).as(PARSED))
                // a second JSON parse, only for the records that did not fit the schema: are their conditions the
                // field that did not fit?
                .withColumn(RAW_CONDITIONS, when(col(PARSED + "." + CORRUPT_RECORD).isNotNull(),
                        get_json_object(col(RAW), "$." + Fields.CONDITIONS)));

        List<Column> fields = new ArrayList<>();
        fields.add(col(KAFKA_KEY));
        fields.add(col(RAW));
        fields.add(col(KAFKA_TIMESTAMP));
        for (String field : Fields.ALL) {
            Column value = col(PARSED + "." + field);
            fields.add((Fields.ID.equals(field) ? lower(value) : value).as(field));
        }
        List<Check> checks = checks(maxFutureSkew);
        fields.add(firstFailing(checks, true).as(REJECT_REASON));
        fields.add(firstFailing(checks, false).as(REJECT_DETAIL));
        Dataset<Row> classified = json.select(fields.toArray(Column[]::new));
        // A barrier for the optimizer: it would push a later filter on the reason (valid(), rejected()) below the
        // classification and inline from_json into each of the checks' references to the parsed fields, ~30 JSON
        // parses per record (seen in a profile). It cannot see through a map over rows.
        return classified.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> rows, Encoders.row(classified.schema()));
    }

    /** Valid trades of a {@link #classify classified} input: the trade table's columns ({@code day} is the trade's UTC date). */
    public static Dataset<Row> valid(Dataset<Row> classified) {
        Column conditions = col(Fields.CONDITIONS);
        Dataset<Row> valid = classified.filter(col(REJECT_REASON).isNull())
                // no conditions: left unset in Cassandra (ignoreNulls), so readers see null for [] and absent alike
                .withColumn(Fields.CONDITIONS, when(size(conditions).gt(0), conditions))
                .withColumn(TradeColumns.DAY, utcDay(col(Fields.TIMESTAMP_UNIX)));
        return valid.select(TradeColumns.ALL.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /**
     * A {@link #classify classified} input without the raw value of its valid records, which only the dead-letter
     * topic would need: the JSON text is the widest column of a cached trade batch.
     */
    public static Dataset<Row> withoutRawOfValid(Dataset<Row> classified) {
        return classified.withColumn(RAW, when(col(REJECT_REASON).isNotNull(), col(RAW)));
    }

    /** Rejected records of a {@link #classify classified} input: key, raw value, reason and detail. */
    public static Dataset<Row> rejected(Dataset<Row> classified) {
        return classified.filter(col(REJECT_REASON).isNotNull())
                .select(REJECTED_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** {@code yyyy-MM-dd} of UNIX milliseconds in UTC, whatever the session time zone. */
    private static Column utcDay(Column unixMillis) {
        Column days = floor(unixMillis.divide(86_400_000L)).cast(DataTypes.IntegerType);
        return date_from_unix_date(days).cast(DataTypes.StringType);
    }

    /** A rule, in the order the ingestor applies them: the first failing one gives the reason. */
    private record Check(Column fails, String reason, Column detail) {
    }

    private static List<Check> checks(Duration maxFutureSkew) {
        Column parsed = col(PARSED);
        Column corrupt = col(PARSED + "." + CORRUPT_RECORD);
        Column noField = lit(true);
        for (String field : Fields.ALL) {
            noField = noField.and(col(PARSED + "." + field).isNull());
        }
        Column id = col(PARSED + "." + Fields.ID);
        Column symbol = col(PARSED + "." + Fields.SYMBOL);
        Column price = col(PARSED + "." + Fields.PRICE);
        Column volume = col(PARSED + "." + Fields.VOLUME);
        Column timestamp = col(PARSED + "." + Fields.TIMESTAMP_UNIX);
        Column conditions = col(PARSED + "." + Fields.CONDITIONS);
        // Relative to the Kafka record's time (the source always sets it), not to "now": in a micro-batch
        // current_timestamp() is a new literal in every batch, and Spark would generate and compile new code for
        // each one, on the driver and in every task.
        Column latestPlausible = unix_millis(col(KAFKA_TIMESTAMP)).plus(maxFutureSkew.toMillis());

        return List.of(
                new Check(col(RAW).isNull(), RejectReason.MALFORMED_JSON.label(), lit("the record has no value")),
                new Check(parsed.isNull().or(noField.and(corrupt.isNotNull())), RejectReason.MALFORMED_JSON.label(),
                        lit("not a JSON object in the trade schema")),
                new Check(symbol.isNull().or(symbol.rlike("^\\s*$")), RejectReason.MISSING_SYMBOL.label(),
                        lit("\"" + Fields.SYMBOL + "\" must be a non-empty string")),
                new Check(length(symbol).gt(MAX_SYMBOL_CHARS), RejectReason.MISSING_SYMBOL.label(),
                        lit("\"" + Fields.SYMBOL + "\" is longer than " + MAX_SYMBOL_CHARS + " characters")),
                new Check(notFinite(price).or(price.leq(0)), RejectReason.INVALID_PRICE.label(),
                        was("\"" + Fields.PRICE + "\" must be a finite number > 0", price)),
                new Check(notFinite(volume).or(volume.lt(0)), RejectReason.INVALID_VOLUME.label(),
                        was("\"" + Fields.VOLUME + "\" must be a finite number >= 0", volume)),
                new Check(timestamp.isNull(), RejectReason.INVALID_TIMESTAMP.label(),
                        lit("\"" + Fields.TIMESTAMP_UNIX + "\" must be an integer of UNIX milliseconds, was absent or not an integer")),
                new Check(timestamp.lt(EARLIEST_PLAUSIBLE_MILLIS).or(timestamp.gt(latestPlausible)),
                        RejectReason.INVALID_TIMESTAMP.label(),
                        concat(lit("\"" + Fields.TIMESTAMP_UNIX + "\" = "), timestamp.cast(DataTypes.StringType),
                                lit(" is not a plausible time in UNIX milliseconds (before 2000 or more than "
                                        + maxFutureSkew + " after the Kafka record time)"))),
                new Check(conditions.isNull().and(col(RAW_CONDITIONS).isNotNull()), RejectReason.INVALID_CONDITIONS.label(),
                        lit("\"" + Fields.CONDITIONS + "\" must be an array of strings or null")),
                new Check(id.isNull().or(id.rlike(UUID_PATTERN).unary_$bang()), INVALID_ID,
                        was("\"" + Fields.ID + "\" must be a UUID", id)),
                new Check(corrupt.isNotNull(), RejectReason.MALFORMED_JSON.label(),
                        lit("a field does not have the type of the trade schema (e.g. \"" + Fields.INGESTED_AT
                                + "\" must be an integer)")));
    }

    private static Column notFinite(Column number) {
        return number.isNull().or(isnan(number))
                .or(number.equalTo(lit(Double.POSITIVE_INFINITY)))
                .or(number.equalTo(lit(Double.NEGATIVE_INFINITY)));
    }

    private static Column was(String rule, Column value) {
        return concat(lit(rule + ", was "), coalesce(value.cast(DataTypes.StringType), lit("absent or not of that type")));
    }

    private static Column firstFailing(List<Check> checks, boolean reason) {
        Column result = null;
        for (Check check : checks) {
            Column value = reason ? lit(check.reason()) : check.detail();
            result = result == null ? when(check.fails(), value) : result.when(check.fails(), value);
        }
        return result;
    }
}
