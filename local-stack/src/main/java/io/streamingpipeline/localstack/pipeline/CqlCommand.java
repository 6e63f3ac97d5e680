package io.streamingpipeline.localstack.pipeline;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * {@code ./pipeline cql "<statement>" [--data-dir dir]}: runs one CQL statement against the Cassandra node of a running
 * pipeline and prints the rows as a table (cqlsh is not always at hand).
 */
final class CqlCommand {

    static final int MAX_ROWS = 1000;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private CqlCommand() {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Deque<String> rest = new ArrayDeque<>(args);
        Path dataDir = Path.of("data");
        String statement = null;
        while (!rest.isEmpty()) {
            String a = rest.poll();
            if (a.equals("--data-dir")) {
                dataDir = Path.of(PipelineOptions.value(a, null, rest));
            } else if (a.startsWith("--data-dir=")) {
                dataDir = Path.of(a.substring("--data-dir=".length()));
            } else if (statement == null) {
                statement = a;
            } else {
                err.println("One statement only; quote it: ./pipeline cql \"SELECT ...\"");
                return 2;
            }
        }
        if (statement == null || statement.isBlank()) {
            err.println("usage: ./pipeline cql \"<CQL statement>\" [--data-dir <dir>]");
            return 2;
        }
        PipelineConnection c;
        try {
            c = PipelineConnection.load(dataDir.toAbsolutePath().normalize());
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 1;
        }
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(c.host(), c.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials(c.username(), c.password())
                // cqlsh's 10 s and more: the driver's 2 s is too short for a schema change on a busy 2-core machine
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, REQUEST_TIMEOUT)
                        .build())
                .build()) {
            print(session.execute(statement), out);
            return 0;
        } catch (RuntimeException e) {
            err.println("CQL failed: " + e.getMessage());
            return 1;
        }
    }

    static void print(ResultSet rs, PrintStream out) {
        List<String> names = new ArrayList<>();
        for (ColumnDefinition d : rs.getColumnDefinitions()) {
            names.add(d.getName().asCql(true));
        }
        if (names.isEmpty()) {
            out.println("OK");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        int count = 0;
        for (Row row : rs) {
            if (++count > MAX_ROWS) {
                break;
            }
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Object v = row.getObject(i);
                cells.add(v == null ? "null" : v.toString());
            }
            rows.add(cells);
        }
        printTable(names, rows, out);
        if (count > MAX_ROWS) {
            out.println("(more rows not shown)");
        }
    }

    /** Rows as a table: a header, a rule, one line per row, and the row count. */
    static void printTable(List<String> names, List<List<String>> rows, PrintStream out) {
        int[] widths = new int[names.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = names.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        out.println(line(names, widths));
        StringBuilder rule = new StringBuilder();
        for (int w : widths) {
            rule.append("-".repeat(w)).append("-+-");
        }
        out.println(rule.substring(0, rule.length() - 3));
        rows.forEach(r -> out.println(line(r, widths)));
        out.printf("(%d row%s)%n", rows.size(), rows.size() == 1 ? "" : "s");
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            sb.append(String.format("%-" + widths[i] + "s", cells.get(i)));
            if (i < cells.size() - 1) {
                sb.append(" | ");
            }
        }
        return sb.toString();
    }
}
