package io.streamingpipeline.contract;

import io.streamingpipeline.contract.CassandraSchema.Replication;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A table of the contract's CQL file, as its statements create it and add columns to it. */
final class CqlTable {

    private static final Pattern COLUMN = Pattern.compile("^\\s+([a-z_]+)\\s+([a-z<>, ]+?),?$", Pattern.MULTILINE);
    private static final Pattern PRIMARY_KEY = Pattern.compile("PRIMARY KEY \\(\\(([a-z_, ]+)\\),\\s*([a-z_, ]+)\\)");

    private CqlTable() {}

    /** Column names and CQL types: those of the CREATE TABLE, then those its ALTER TABLEs add. */
    static Map<String, String> columns(String table) {
        Map<String, String> columns = new LinkedHashMap<>();
        Matcher m = COLUMN.matcher(create(table).replaceAll("(?s)PRIMARY KEY.*", ""));
        while (m.find()) {
            columns.put(m.group(1), m.group(2).strip());
        }
        Pattern added = Pattern.compile("^ALTER TABLE \\S+\\." + table + " ADD IF NOT EXISTS ([a-z_]+) (.+)$");
        for (String statement : CassandraSchema.statements(Replication.simple(1))) {
            Matcher a = added.matcher(statement);
            if (a.matches()) {
                columns.put(a.group(1), a.group(2).strip());
            }
        }
        return columns;
    }

    /** The primary key's columns: the partition key's, then the clustering columns. */
    static List<String> primaryKey(String table) {
        Matcher key = PRIMARY_KEY.matcher(create(table));
        if (!key.find()) {
            throw new AssertionError("no PRIMARY KEY ((...), ...) in the CREATE TABLE of " + table);
        }
        List<String> columns = new ArrayList<>();
        for (String group : List.of(key.group(1), key.group(2))) {
            for (String column : group.split(",")) {
                columns.add(column.strip());
            }
        }
        return columns;
    }

    private static String create(String table) {
        String prefix = "CREATE TABLE IF NOT EXISTS " + CassandraSchema.DEFAULT_KEYSPACE + "." + table + " ";
        return CassandraSchema.statements(Replication.simple(1)).stream()
                .filter(s -> s.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + "in the CQL file"));
    }
}
