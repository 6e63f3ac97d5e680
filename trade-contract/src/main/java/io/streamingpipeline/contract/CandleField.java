package io.streamingpipeline.contract;

import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The columns of {@link CassandraSchema#CANDLES_TABLE}, in table order: the one declaration from which the column
 * lists of {@link CandleColumns}, the readers' {@link CandleRow} and the Spark job's candle writes are derived.
 * {@code CandleFieldTest} checks the CQL file against this list.
 *
 * <p>To add a column: a name in {@link CandleColumns}, a constant here, a column of {@code crypto_candles_1m} in
 * {@code cassandra-schema.cql} (an {@code ALTER TABLE ... ADD IF NOT EXISTS} for existing tables), then, for a
 * {@link Part#CANDLE} column, a component of {@link CandleRow}; the job's candle store does not compile until it
 * writes the column.
 */
public enum CandleField {
    SYMBOL(CandleColumns.SYMBOL, Type.TEXT, Part.KEY, false),
    DAY(CandleColumns.DAY, Type.TEXT, Part.KEY, false),
    MINUTE_START(CandleColumns.MINUTE_START, Type.TIMESTAMP, Part.KEY, false),
    OPEN(CandleColumns.OPEN, Type.DOUBLE, Part.CANDLE, false),
    HIGH(CandleColumns.HIGH, Type.DOUBLE, Part.CANDLE, false),
    LOW(CandleColumns.LOW, Type.DOUBLE, Part.CANDLE, false),
    CLOSE(CandleColumns.CLOSE, Type.DOUBLE, Part.CANDLE, false),
    VOLUME(CandleColumns.VOLUME, Type.DOUBLE, Part.CANDLE, false),
    TRADE_COUNT(CandleColumns.TRADE_COUNT, Type.BIGINT, Part.CANDLE, false),
    VWAP(CandleColumns.VWAP, Type.DOUBLE, Part.CANDLE, true),
    OPEN_TIME(CandleColumns.OPEN_TIME, Type.BIGINT, Part.MERGE, false),
    OPEN_ID(CandleColumns.OPEN_ID, Type.UUID, Part.MERGE, false),
    CLOSE_TIME(CandleColumns.CLOSE_TIME, Type.BIGINT, Part.MERGE, false),
    CLOSE_ID(CandleColumns.CLOSE_ID, Type.UUID, Part.MERGE, false),
    MERGED_QUERY(CandleColumns.MERGED_QUERY, Type.UUID, Part.MERGE, true),
    MERGED_BATCH(CandleColumns.MERGED_BATCH, Type.BIGINT, Part.MERGE, true),
    MERGED_OFFSETS(CandleColumns.MERGED_OFFSETS, Type.OFFSETS, Part.MERGE, true);

    /** Which readers need a column. */
    public enum Part {
        /** The primary key: partition {@code (symbol, day)}, clustering {@code minute_start}. */
        KEY,
        /** The candle's values, what every reader of candles needs. */
        CANDLE,
        /** What the job needs to merge more trades into a candle (see the job's {@code Candles}). */
        MERGE
    }

    /** A column's CQL type and the Java class the Cassandra driver reads and writes it as. */
    public enum Type {
        TEXT("text", String.class),
        TIMESTAMP("timestamp", Instant.class),
        DOUBLE("double", Double.class),
        BIGINT("bigint", Long.class),
        UUID("uuid", java.util.UUID.class),
        /** Offsets by Kafka partition ({@code <topic>-<partition>}), written whole. */
        OFFSETS("frozen<map<text, bigint>>", Map.class);

        private final String cql;
        private final Class<?> java;

        Type(String cql, Class<?> java) {
            this.cql = cql;
            this.java = java;
        }

        public String cql() {
            return cql;
        }

        public Class<?> java() {
            return java;
        }
    }

    private final String cqlName;
    private final Type type;
    private final Part part;
    private final boolean nullable;

    CandleField(String cqlName, Type type, Part part, boolean nullable) {
        this.cqlName = cqlName;
        this.type = type;
        this.part = part;
        this.nullable = nullable;
    }

    public String cqlName() {
        return cqlName;
    }

    public Type type() {
        return type;
    }

    public Part part() {
        return part;
    }

    /**
     * Whether a row may hold no value: {@link #VWAP} while the minute has no volume; the merge columns of a candle
     * written before the table had them.
     */
    public boolean nullable() {
        return nullable;
    }

    /** The columns of these parts, in table order. */
    public static List<CandleField> of(Part... parts) {
        List<Part> wanted = List.of(parts);
        return Arrays.stream(values()).filter(f -> wanted.contains(f.part)).toList();
    }

    /** Their CQL names. */
    public static List<String> names(List<CandleField> fields) {
        return fields.stream().map(CandleField::cqlName).toList();
    }
}
