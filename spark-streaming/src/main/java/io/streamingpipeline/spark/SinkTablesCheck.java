package io.streamingpipeline.spark;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;

/**
 * At start: the tables the job writes are the ones the query's checkpoint wrote to. A checkpoint's offsets say which
 * trades were stored; written on into another keyspace (a changed {@code --keyspace}), or into a table dropped and
 * created again, or one of the same name on another Cassandra cluster, the tables would get only the trades after
 * those offsets, and the candles of the minutes around them would lack the trades before: the tables would hold
 * fewer trades than the candles count, or candles that count fewer than the minute had, without a word. The same holds
 * for a table emptied by {@code TRUNCATE}, which keeps its id. The job writes the keyspace, Cassandra's id of each
 * table and the time of its last truncation ({@link TableTruncations}; {@value #NEVER} if none) beside the checkpoint
 * ({@value #MARKER}), and refuses a checkpoint of other tables, or of tables truncated since, saying what to do. A
 * checkpoint of an earlier version, whose marker has no truncation times, is not checked for truncations.
 */
final class SinkTablesCheck {

    /** The file, in the query's checkpoint directory, that names the tables its batches were written to. */
    static final String MARKER = "sink-tables";

    /** The truncation time recorded for a table that was never truncated. */
    static final String NEVER = "never";

    private static final String KEYSPACE = "keyspace";
    private static final String ID = ".id";
    private static final String TRUNCATED_AT = ".truncated-at";

    private SinkTablesCheck() {}

    /**
     * The job's tables in its keyspace.
     *
     * @param ids         Cassandra's id of each table, by name
     * @param truncatedAt by name, the time (UNIX ms) each table was last truncated; absent if never
     */
    record Tables(Map<String, String> ids, Map<String, Long> truncatedAt) {}

    /**
     * Throws {@link StartRefusedException} when the checkpoint's batches were written to another keyspace, or to tables
     * with other ids, or to tables truncated since; names the tables in the checkpoint when it names none (new, or of
     * an earlier version).
     *
     * @param tables the job's tables in {@code keyspace}
     */
    static void checkpointWrote(String keyspace, Tables tables, String queryCheckpoint, Configuration hadoop)
            throws IOException {
        Map<String, String> idsByTable = tables.ids();
        Map<String, String> values = new LinkedHashMap<>();
        values.put(KEYSPACE, keyspace);
        idsByTable.forEach((table, id) -> values.put(table + ID, id));
        idsByTable.keySet().forEach(table -> values.put(table + TRUNCATED_AT, truncatedAt(tables, table)));
        Properties recorded = CheckpointMarker.recordedOrNew(queryCheckpoint, MARKER, values, hadoop);
        String wrote = recorded.getProperty(KEYSPACE);
        String fresh = " Start with a new --" + JobSettings.CHECKPOINT_LOCATION.name() + " and --"
                + JobSettings.STARTING_OFFSETS.name() + " earliest to write every trade Kafka still holds (the"
                + " candles are then exact for them)";
        if (!keyspace.equals(wrote)) {
            throw new StartRefusedException("The checkpoint " + queryCheckpoint + " wrote its trades and candles to"
                    + " the keyspace '" + wrote + "', and the job now writes to '" + keyspace + "' (--"
                    + JobSettings.KEYSPACE.name() + "): '" + keyspace + "' would get only the trades after the"
                    + " checkpoint's offsets, and candles without the trades before them." + fresh + ", or write to '"
                    + wrote + "' again.");
        }
        for (Map.Entry<String, String> table : idsByTable.entrySet()) {
            String id = recorded.getProperty(table.getKey() + ID);
            if (id != null && !id.equals(table.getValue())) {
                throw new StartRefusedException("The table " + keyspace + "." + table.getKey() + " is not the one the"
                        + " checkpoint " + queryCheckpoint + " wrote to (Cassandra's id of it is " + table.getValue()
                        + ", the checkpoint's table had " + id + "): it was dropped and created again, or this is"
                        + " another Cassandra cluster. It would get only the trades after the checkpoint's offsets,"
                        + " and candles without the trades before them." + fresh + ".");
            }
        }
        for (String table : idsByTable.keySet()) {
            String then = recorded.getProperty(table + TRUNCATED_AT);
            Long now = tables.truncatedAt().get(table);
            if (then == null || now == null) {
                continue;
            }
            Long before = recordedTime(then, table, queryCheckpoint, fresh);
            if (before == null || now > before) {
                throw new StartRefusedException("The table " + keyspace + "." + table + " was truncated at "
                        + Instant.ofEpochMilli(now) + ", after the checkpoint " + queryCheckpoint + " began to write to"
                        + " it ("
                        + (before == null
                                ? "it had never been truncated"
                                : "last truncated at " + Instant.ofEpochMilli(before))
                        + "): the rows written before are gone, and"
                        + " written on, it would get only the trades after the checkpoint's offsets, and candles"
                        + " without the trades before them." + fresh + ".");
            }
        }
    }

    /** A truncation time of the marker: null for {@value #NEVER}; a value that is neither refuses the checkpoint. */
    private static Long recordedTime(String value, String table, String queryCheckpoint, String fresh) {
        if (value.equals(NEVER)) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new StartRefusedException("The checkpoint " + queryCheckpoint + "'s " + MARKER + " file gives '"
                    + value + "' as the last truncation of " + table + ", which is neither UNIX milliseconds nor "
                    + NEVER + ": it was edited." + fresh + ".");
        }
    }

    private static String truncatedAt(Tables tables, String table) {
        Long at = tables.truncatedAt().get(table);
        return at == null ? NEVER : Long.toString(at);
    }
}
