package io.streamingpipeline.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --apply-schema}: creates keyspace and tables from the contract's CQL file through the connector's
 * session (the Java driver shipped inside the spark-cassandra-connector). Every statement is
 * {@code IF NOT EXISTS} (tables of an earlier version get the columns added since), so running it again, or from
 * several places, is harmless. It needs no SparkContext.
 */
public final class SchemaCommand {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaCommand.class);

    private SchemaCommand() {}

    /** The statements the command runs, for the settings' keyspace, replication and TTLs. */
    public static List<String> statements(JobSettings settings) {
        return CassandraSchema.statements(
                settings.keyspace(), settings.replication(), settings.tradesTtl(), settings.candlesTtl());
    }

    /** @param conf Spark conf with the {@code spark.cassandra.*} connection settings */
    public static void apply(JobSettings settings, SparkConf conf) {
        List<String> statements = statements(settings);
        CassandraConnector connector = CassandraConnector.apply(conf);
        try (CqlSession session = connector.openSession()) {
            for (String statement : statements) {
                LOG.info("Applying: {}", statement.lines().findFirst().orElse(statement));
                session.execute(statement);
            }
        }
        LOG.info(
                "Schema applied: keyspace {} ({}), tables {} and {}",
                settings.keyspace(),
                settings.replication(),
                CassandraSchema.TRADES_TABLE,
                CassandraSchema.CANDLES_TABLE);
    }

    /**
     * Connects once before the queries start: fails fast, with what to do, when Cassandra cannot be reached or the
     * tables are missing. It also initialises the connector on the driver early; initialising it for the first
     * time during a SIGTERM fails (it registers a JVM shutdown hook), which would turn a graceful stop into a failed batch.
     *
     * @return Cassandra's id of each of the job's tables, which a table dropped and created again, or one of the same
     *     name on another cluster, does not have, and when each was last truncated
     */
    public static SinkTablesCheck.Tables verify(JobSettings settings, SparkConf conf) {
        List<String> jobTables = List.of(CassandraSchema.TRADES_TABLE, CassandraSchema.CANDLES_TABLE);
        Map<String, String> tables = new HashMap<>();
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, Long> truncatedAt;
        Set<String> candleColumns = new HashSet<>();
        try (CqlSession session = CassandraConnector.apply(conf).openSession()) {
            for (Row row : session.execute(SimpleStatement.newInstance(
                    "SELECT table_name, id FROM system_schema.tables WHERE keyspace_name = ?", settings.keyspace()))) {
                tables.put(row.getString("table_name"), String.valueOf(row.getUuid("id")));
            }
            jobTables.stream().filter(tables::containsKey).forEach(t -> ids.put(t, tables.get(t)));
            truncatedAt = TableTruncations.latest(session, ids);
            for (Row row : session.execute(SimpleStatement.newInstance(
                    "SELECT column_name FROM system_schema.columns " + "WHERE keyspace_name = ? AND table_name = ?",
                    settings.keyspace(),
                    CassandraSchema.CANDLES_TABLE))) {
                candleColumns.add(row.getString("column_name"));
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot reach Cassandra at " + settings.cassandraHost() + ":"
                            + settings.cassandraPort()
                            + " (check --cassandra-host, --cassandra-port and the credentials): "
                            + e.getMessage(),
                    e);
        }
        List<String> missing =
                jobTables.stream().filter(t -> !tables.containsKey(t)).toList();
        if (!missing.isEmpty()) {
            throw new StartRefusedException("Cassandra has no table " + missing + " in keyspace " + settings.keyspace()
                    + ": create the schema first by running this jar with --apply-schema (same Cassandra options, "
                    + "plus --replication)");
        }
        List<String> missingColumns = CandleColumns.ALL.stream()
                .filter(c -> !candleColumns.contains(c))
                .toList();
        if (!missingColumns.isEmpty()) {
            throw new StartRefusedException("Table " + settings.keyspace() + "." + CassandraSchema.CANDLES_TABLE
                    + " has no column " + missingColumns + ": it was created by an earlier version. Run this jar "
                    + "with --apply-schema (same Cassandra options): it adds them (ALTER TABLE ... ADD IF NOT EXISTS)");
        }
        return new SinkTablesCheck.Tables(ids, truncatedAt);
    }
}
