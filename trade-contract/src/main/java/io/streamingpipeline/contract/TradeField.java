package io.streamingpipeline.contract;

import io.streamingpipeline.contract.TradeContract.Fields;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The fields of a trade, in the order of the JSON record: the one declaration from which every stage derives what it
 * reads and writes. The JSON field and the Cassandra column of {@link CassandraSchema#TRADES_TABLE} have the same
 * name; the {@link Type} gives the JSON, CQL, Spark SQL and Java types. {@code TradeFieldTest} checks the JSON schema
 * and the CQL file against this list.
 *
 * <p>To add a field: a name in {@link Fields}, a constant here, a component of {@link Trade}, a property of
 * {@code trade.schema.json}, a column of {@code crypto_trades} in {@code cassandra-schema.cql} (and its {@code ALTER
 * TABLE ... ADD IF NOT EXISTS} for existing tables), the field in the base record of {@code trade-cases.json}, and
 * where the ingestor takes it from (its {@code FinnhubFields}). The job, the query service and the test data follow.
 */
public enum TradeField {
    ID(Fields.ID, Type.UUID, false),
    SYMBOL(Fields.SYMBOL, Type.TEXT, false),
    PRICE(Fields.PRICE, Type.DOUBLE, false),
    VOLUME(Fields.VOLUME, Type.DOUBLE, false),
    TIMESTAMP_UNIX(Fields.TIMESTAMP_UNIX, Type.BIGINT, false),
    CONDITIONS(Fields.CONDITIONS, Type.TEXT_LIST, true),
    INGESTED_AT(Fields.INGESTED_AT, Type.BIGINT, false);

    /**
     * A field's type in each representation: the JSON Schema type, the CQL type, the Spark SQL type (DDL syntax, as
     * {@code DataType.fromDDL} reads it) and the Java type of the value in {@link Trade} (and as the Cassandra driver
     * returns it).
     */
    public enum Type {
        UUID("string", "uuid", "string", java.util.UUID.class),
        TEXT("string", "text", "string", String.class),
        DOUBLE("number", "double", "double", Double.class),
        BIGINT("integer", "bigint", "bigint", Long.class),
        /** An ordered list of strings that may repeat, always written whole. */
        TEXT_LIST("array", "frozen<list<text>>", "array<string>", List.class);

        private final String json;
        private final String cql;
        private final String sparkSql;
        private final Class<?> java;

        Type(String json, String cql, String sparkSql, Class<?> java) {
            this.json = json;
            this.cql = cql;
            this.sparkSql = sparkSql;
            this.java = java;
        }

        /** The JSON Schema {@code type} of a value; the elements of {@link #TEXT_LIST} are strings. */
        public String json() {
            return json;
        }

        public String cql() {
            return cql;
        }

        /** Spark SQL type in DDL syntax, e.g. {@code bigint}, {@code array<string>}. */
        public String sparkSql() {
            return sparkSql;
        }

        /** The class of a value in {@link Trade} and as the Cassandra driver's {@code Row.getObject} returns it. */
        public Class<?> java() {
            return java;
        }
    }

    private static final Map<String, TradeField> BY_JSON_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(TradeField::jsonName, Function.identity()));

    private final String jsonName;
    private final Type type;
    private final boolean nullable;

    TradeField(String jsonName, Type type, boolean nullable) {
        this.jsonName = jsonName;
        this.type = type;
        this.nullable = nullable;
    }

    public String jsonName() {
        return jsonName;
    }

    /** The column of {@link CassandraSchema#TRADES_TABLE}: the JSON name. */
    public String cqlName() {
        return jsonName;
    }

    public Type type() {
        return type;
    }

    /** Whether the value may be JSON null (and null in {@link Trade}); the field is present in every record. */
    public boolean nullable() {
        return nullable;
    }

    /**
     * A valid value of this field, derived from its name and type, for a generator of trades that has no value of its
     * own for it (the test-data builder, the benchmarks' load): a field added here needs no change in them. Values of
     * two fields differ; a {@link Type#BIGINT} is a time {@code 10 × ordinal} ms after {@code tradeTimeMillis}.
     */
    public Object sampleValue(long tradeTimeMillis) {
        return switch (type) {
            case UUID -> java.util.UUID.nameUUIDFromBytes(jsonName.getBytes(StandardCharsets.UTF_8));
            case TEXT -> jsonName + "-value";
            case DOUBLE -> 1.0 + ordinal();
            case BIGINT -> tradeTimeMillis + 10L * ordinal();
            case TEXT_LIST -> List.of(jsonName + "-value");
        };
    }

    /** The field of this JSON name, or null when the contract has none. */
    public static TradeField ofJsonName(String name) {
        return BY_JSON_NAME.get(name);
    }

    /** JSON names of every field, in record order. */
    public static List<String> jsonNames() {
        return Arrays.stream(values()).map(TradeField::jsonName).toList();
    }

    /**
     * A value of this field read from JSON (as {@link TradeValidation} reads values, after it accepted them) as the
     * Java type of {@link Trade}: a string as a {@link UUID} for {@link Type#UUID}, any JSON number as a double for
     * {@link Type#DOUBLE}.
     */
    public Object fromJson(Object jsonValue) {
        if (jsonValue == null || jsonValue == TradeValidation.ABSENT) {
            return null;
        }
        return switch (type) {
            case UUID -> java.util.UUID.fromString((String) jsonValue);
            case TEXT, BIGINT -> jsonValue;
            case DOUBLE -> TradeValidation.number(jsonValue);
            case TEXT_LIST -> {
                // a loop, not a stream: called for every trade the ingestor reads
                List<?> elements = (List<?>) jsonValue;
                String[] texts = new String[elements.size()];
                for (int i = 0; i < texts.length; i++) {
                    texts[i] = (String) elements.get(i);
                }
                yield List.of(texts);
            }
        };
    }
}
