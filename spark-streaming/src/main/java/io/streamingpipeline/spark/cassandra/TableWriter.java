package io.streamingpipeline.spark.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import com.datastax.spark.connector.BytesInBatch;
import com.datastax.spark.connector.RowsInBatch;
import com.datastax.spark.connector.cql.CassandraConnector;
import com.datastax.spark.connector.writer.BatchGroupingKey;
import com.datastax.spark.connector.writer.WriteConf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Upserts the rows of a Dataset into a Cassandra table from the tasks that compute them: one prepared {@code INSERT}
 * of the Dataset's columns (named as the table's), rows grouped by partition into {@code UNLOGGED} batches, through
 * the spark-cassandra-connector's session (its {@code spark.cassandra.connection.*}, auth and retry settings).
 *
 * <p>It honours the connector's write settings that apply to an upsert grouped by partition:
 * {@code spark.cassandra.output.batch.size.rows} / {@code .batch.size.bytes}, {@code .batch.grouping.buffer.size},
 * {@code .concurrent.writes} (batches in flight per task), {@code .consistency.level} and {@code .ignoreNulls} (a
 * null is left unset, else written as a tombstone). The others ({@link #UNSUPPORTED}, and a grouping key other than
 * {@code partition}) are refused ({@link #unsupportedSettings}).
 *
 * <p>Why not the connector's DataFrame writer: it plans a DataSource V2 write on the driver for every micro-batch
 * (~40 ms of a 100-ms trigger's cycle) and converts each row from Spark's internal format into its own and then the
 * driver's; here the task binds each row once. bench/latency and bench/sink measure both.
 */
public final class TableWriter implements ForeachPartitionFunction<Row> {

    private static final long serialVersionUID = 1L;

    /** Write settings of the connector that this writer does not implement: setting one fails the job at start. */
    static final List<String> UNSUPPORTED = List.of(
            WriteConf.TTLParam().name(),
            WriteConf.TimestampParam().name(),
            WriteConf.IfNotExistsParam().name(),
            WriteConf.ThroughputMiBPSParam().name(),
            WriteConf.DeprecatedThroughputMiBPSParam().name());

    private static final ByteBuffer NO_ROUTING_KEY = ByteBuffer.allocate(0);

    private final CassandraConnector connector;
    private final String insert;
    private final StructType schema;
    private final int batchRows;
    private final int batchBytes;
    private final int groupingBuffer;
    private final int inFlight;
    private final String consistency;
    private final boolean ignoreNulls;

    private TableWriter(CassandraConnector connector, String insert, StructType schema, WriteConf conf) {
        this.connector = connector;
        this.insert = insert;
        this.schema = schema;
        if (conf.batchSize() instanceof RowsInBatch rows) {
            this.batchRows = rows.batchSize();
            this.batchBytes = Integer.MAX_VALUE;
        } else {
            this.batchRows = Integer.MAX_VALUE;
            this.batchBytes = ((BytesInBatch) conf.batchSize()).batchSize();
        }
        this.groupingBuffer = conf.batchGroupingBufferSize();
        this.inFlight = conf.parallelismLevel();
        this.consistency = conf.consistencyLevel().name();
        this.ignoreNulls = conf.ignoreNulls();
    }

    /** A writer of rows of this schema into {@code keyspace.table}, with the connector settings of {@code conf}. */
    public static TableWriter of(SparkConf conf, String keyspace, String table, StructType schema) {
        List<String> problems = unsupportedSettings(conf);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String columns = Arrays.stream(schema.fieldNames()).collect(Collectors.joining(", "));
        String values = Arrays.stream(schema.fieldNames()).map(c -> "?").collect(Collectors.joining(", "));
        return new TableWriter(
                CassandraConnector.apply(conf),
                "INSERT INTO " + keyspace + "." + table + " (" + columns + ") VALUES (" + values + ")",
                schema,
                WriteConf.fromSparkConf(conf));
    }

    /** What to change, if {@code conf} asks for connector write settings this writer does not honour; else empty. */
    public static List<String> unsupportedSettings(SparkConf conf) {
        List<String> problems = new ArrayList<>();
        UNSUPPORTED.stream()
                .filter(conf::contains)
                .forEach(key -> problems.add(key + ": not supported by the job's Cassandra writer, remove it"));
        BatchGroupingKey grouping = WriteConf.fromSparkConf(conf).batchGroupingKey();
        if (grouping != BatchGroupingKey.Partition$.MODULE$) {
            problems.add(WriteConf.BatchLevelParam().name() + ": the job's Cassandra writer batches rows by partition;"
                    + " set it to partition or leave it unset, not " + grouping);
        }
        return problems;
    }

    @Override
    public void call(Iterator<Row> rows) {
        try (CqlSession session = connector.openSession()) {
            PreparedStatement prepared = session.prepare(insert);
            Binder binder = new Binder(prepared, session.getContext().getCodecRegistry());
            ConsistencyLevel level = DefaultConsistencyLevel.valueOf(consistency);
            BoundedRequests<AsyncResultSet> sent = new BoundedRequests<>(inFlight);
            Map<ByteBuffer, Group> groups = new HashMap<>();
            int buffered = 0;
            while (rows.hasNext()) {
                BoundStatement row = binder.bind(rows.next());
                Group group = groups.computeIfAbsent(partitionOf(row), k -> new Group());
                group.add(row);
                buffered++;
                if (group.rows.size() >= batchRows || group.bytes >= batchBytes) {
                    send(session, sent, level, group);
                    buffered -= group.clear();
                } else if (buffered > groupingBuffer) {
                    Group largest = groups.values().stream()
                            .max(Comparator.comparingInt(g -> g.rows.size()))
                            .orElseThrow();
                    send(session, sent, level, largest);
                    buffered -= largest.clear();
                }
            }
            for (Group group : groups.values()) {
                if (!group.rows.isEmpty()) {
                    send(session, sent, level, group);
                }
            }
            sent.awaitAll();
        }
    }

    /** The serialized partition key of the row (the driver's routing key). */
    private static ByteBuffer partitionOf(BoundStatement row) {
        ByteBuffer key = row.getRoutingKey();
        return key == null ? NO_ROUTING_KEY : key;
    }

    private static void send(
            CqlSession session, BoundedRequests<AsyncResultSet> sent, ConsistencyLevel level, Group group) {
        Statement<?> statement = group.rows.size() == 1
                ? group.rows.get(0)
                : BatchStatement.newInstance(DefaultBatchType.UNLOGGED, group.rows.toArray(new BoundStatement[0]));
        // an upsert of whole rows: sending it again writes the same cells
        Statement<?> ready = statement.setConsistencyLevel(level).setIdempotent(true);
        sent.send(() -> session.executeAsync(ready));
    }

    /** Rows of one partition waiting for their batch. */
    private static final class Group {
        final List<BoundStatement> rows = new ArrayList<>();
        int bytes;

        void add(BoundStatement row) {
            rows.add(row);
            for (int i = 0; i < row.size(); i++) {
                ByteBuffer value = row.getBytesUnsafe(i);
                bytes += value == null ? 0 : value.remaining();
            }
        }

        int clear() {
            int n = rows.size();
            rows.clear();
            bytes = 0;
            return n;
        }
    }

    /** Spark rows of the schema into bound statements: each value converted to the Java type of its column's codec. */
    private final class Binder {
        private final PreparedStatement prepared;
        private final TypeCodec<Object>[] codecs;
        private final Converter[] converters;

        @SuppressWarnings("unchecked")
        Binder(PreparedStatement prepared, CodecRegistry registry) {
            this.prepared = prepared;
            StructField[] fields = schema.fields();
            this.codecs = new TypeCodec[fields.length];
            this.converters = new Converter[fields.length];
            int i = 0;
            for (ColumnDefinition column : prepared.getVariableDefinitions()) {
                DataType cql = column.getType();
                codecs[i] = registry.codecFor(cql);
                converters[i] =
                        converter(fields[i], cql, codecs[i].getJavaType().getRawType());
                i++;
            }
        }

        BoundStatement bind(Row row) {
            BoundStatementBuilder statement = prepared.boundStatementBuilder();
            for (int i = 0; i < codecs.length; i++) {
                if (row.isNullAt(i)) {
                    if (!ignoreNulls) {
                        statement = statement.setToNull(i);
                    }
                } else {
                    statement = statement.set(i, converters[i].value(row, i), codecs[i]);
                }
            }
            return statement.build();
        }
    }

    @FunctionalInterface
    interface Converter {
        Object value(Row row, int i);
    }

    /** How a Spark value of this field becomes the Java value the column's codec takes; fails for a pair it does not know. */
    static Converter converter(StructField field, DataType cql, Class<?> java) {
        org.apache.spark.sql.types.DataType spark = field.dataType();
        if (java == UUID.class && spark.equals(DataTypes.StringType)) {
            return (row, i) -> UUID.fromString(row.getString(i));
        }
        if (List.class.isAssignableFrom(java) && spark instanceof ArrayType) {
            return TableWriter::list;
        }
        if (java == java.time.Instant.class && spark.equals(DataTypes.TimestampType)) {
            return (row, i) -> row.getTimestamp(i).toInstant();
        }
        if (java == java.time.LocalDate.class && spark.equals(DataTypes.DateType)) {
            return (row, i) -> row.getDate(i).toLocalDate();
        }
        if (java == javaTypeOf(spark)) {
            return Row::get;
        }
        throw new IllegalArgumentException("Column " + field.name() + ": cannot write Spark type "
                + spark.simpleString() + " into CQL type " + cql.asCql(true, true));
    }

    /**
     * An array column's value as a list. Spark hands a row over as it was made when nothing serialized it in between
     * (a {@code mapPartitions} straight into the write), so an array can be a Java array as well as a Scala sequence.
     */
    private static List<?> list(Row row, int i) {
        Object value = row.get(i);
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof List<?> list) {
            return list;
        }
        return row.getList(i);
    }

    private static Class<?> javaTypeOf(org.apache.spark.sql.types.DataType spark) {
        if (spark.equals(DataTypes.StringType)) {
            return String.class;
        } else if (spark.equals(DataTypes.LongType)) {
            return Long.class;
        } else if (spark.equals(DataTypes.IntegerType)) {
            return Integer.class;
        } else if (spark.equals(DataTypes.DoubleType)) {
            return Double.class;
        } else if (spark.equals(DataTypes.FloatType)) {
            return Float.class;
        } else if (spark.equals(DataTypes.BooleanType)) {
            return Boolean.class;
        }
        return Void.class;
    }
}
