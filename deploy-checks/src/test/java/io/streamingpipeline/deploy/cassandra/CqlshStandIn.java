package io.streamingpipeline.deploy.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of cqlsh (Cassandra 5.0's) that the roles script uses, on the Java driver, because no cqlsh can be installed
 * here. Same command line: {@code [host [port]] [--credentials FILE] [-u USER] [-p PASSWORD] [-e STATEMENT]
 * [-f FILE] [--connect-timeout N] [--request-timeout N]} (and CQLSH_HOST, CQLSH_PORT), statements from stdin
 * otherwise. Same rules, from cqlsh's
 * sources: the credentials file is an INI file whose {@code [PlainTextAuthProvider]} section holds
 * {@code username} and {@code password}, and it is ignored (with a warning) unless the current user owns it and
 * neither group nor others may read it (cqlshlib/util.py {@code is_file_secure}); exit 1 on a connection error,
 * exit 2 when a statement failed, an unknown option exits 2. Output: a table per result, like cqlsh's.
 * <p>
 * Every invocation appends its arguments, one per line after a {@code ---} line, to {@code $CQLSH_STANDIN_ARGS_LOG}:
 * the test checks that no password ever was on a command line.
 */
public final class CqlshStandIn {

    private CqlshStandIn() {}

    public static void main(String[] args) throws IOException {
        logArguments(args);
        List<String> positional = new ArrayList<>();
        String credentials = Path.of(System.getProperty("user.home"), ".cassandra", "credentials")
                .toString();
        String username = null;
        String password = null;
        String execute = null;
        String file = null;
        int requestTimeout = 10;
        int connectTimeout = 5;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = !name.equals(arg);
            String value = inline ? arg.substring(arg.indexOf('=') + 1) : null;
            switch (name) {
                case "--credentials",
                        "-u",
                        "--username",
                        "-p",
                        "--password",
                        "-e",
                        "--execute",
                        "-f",
                        "--file",
                        "--request-timeout",
                        "--connect-timeout" -> {
                    if (!inline) {
                        if (i + 1 >= args.length) {
                            usage(name + " option requires an argument");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--credentials" -> credentials = value;
                        case "-u", "--username" -> username = value;
                        case "-p", "--password" -> password = value;
                        case "-e", "--execute" -> execute = value;
                        case "-f", "--file" -> file = value;
                        case "--request-timeout" -> requestTimeout = Integer.parseInt(value);
                        default -> connectTimeout = Integer.parseInt(value);
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        usage("no such option: " + name);
                    }
                    positional.add(arg);
                }
            }
        }
        String host =
                positional.isEmpty() ? System.getenv().getOrDefault("CQLSH_HOST", "127.0.0.1") : positional.get(0);
        int port = Integer.parseInt(
                positional.size() > 1 ? positional.get(1) : System.getenv().getOrDefault("CQLSH_PORT", "9042"));

        Map<String, String> fromFile = readCredentials(Path.of(credentials));
        if (username == null) {
            username = fromFile.get("username");
        }
        if (password == null) {
            password = fromFile.get("password");
        } else {
            System.err.println("\nWarning: Using a password on the command line interface can be insecure.");
        }

        String text = execute != null
                ? execute
                : file != null
                        ? Files.readString(Path.of(file))
                        : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);

        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(requestTimeout))
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(connectTimeout))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(connectTimeout))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(connectTimeout))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(requestTimeout))
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                .build();
        CqlSessionBuilder builder = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(host, port))
                .withLocalDatacenter(System.getenv().getOrDefault("CQLSH_STANDIN_DATACENTER", "datacenter1"))
                .withConfigLoader(config);
        if (username != null) {
            builder.withAuthCredentials(username, password == null ? "" : password);
        }
        CqlSession session;
        try {
            session = builder.build();
        } catch (RuntimeException e) {
            System.err.println("Connection error: " + e.getMessage());
            System.exit(1);
            return;
        }
        boolean failed = false;
        try (session) {
            int line = 1;
            for (String statement : split(text)) {
                try {
                    print(session.execute(statement));
                } catch (RuntimeException e) {
                    failed = true;
                    System.err.println("<stdin>:" + line + ":" + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                line++;
            }
        }
        System.out.flush();
        System.exit(failed ? 2 : 0);
    }

    private static void usage(String message) {
        System.err.println("Usage: cqlsh [options] [host [port]]\n\ncqlsh: error: " + message);
        System.exit(2);
    }

    private static void logArguments(String[] args) throws IOException {
        String log = System.getenv("CQLSH_STANDIN_ARGS_LOG");
        if (log == null) {
            return;
        }
        StringBuilder entry = new StringBuilder("---\n");
        for (String arg : args) {
            entry.append(arg).append('\n');
        }
        Files.writeString(Path.of(log), entry, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** cqlsh's rule: a credentials file others may read, or that someone else owns, is not used. */
    private static Map<String, String> readCredentials(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return values;
        }
        long uid = new UnixSystem().getUid();
        long owner = ((Number) Files.getAttribute(file, "unix:uid")).longValue();
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if ((uid != 0 && owner != uid)
                || permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            System.err.println(
                    "\nWarning: Credentials file '" + file + "' exists but is not used, because:"
                            + "\n  a. the file owner is not the current user; or\n  b. the file is readable by group or other.");
            return values;
        }
        boolean inSection = false;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                inSection = line.equals("[PlainTextAuthProvider]");
                continue;
            }
            int eq = line.indexOf('=');
            if (inSection && eq > 0) {
                values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    /** Statements separated by {@code ;} outside quoted strings; {@code --} comments and blank ones dropped. */
    static List<String> split(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!quoted && c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '\'') {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                if (!current.toString().isBlank()) {
                    statements.add(current.toString().strip());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static void print(ResultSet result) {
        if (result.getColumnDefinitions().size() == 0) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (ColumnDefinition column : result.getColumnDefinitions()) {
            names.add(column.getName().asInternal());
        }
        List<Row> rows = result.all();
        StringBuilder out = new StringBuilder("\n ")
                .append(String.join(" | ", names))
                .append('\n')
                .append("-".repeat(Math.max(3, String.join(" | ", names).length() + 2)))
                .append('\n');
        for (Row row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Object value = row.getObject(i);
                cells.add(String.valueOf(value));
            }
            out.append(' ').append(String.join(" | ", cells)).append('\n');
        }
        out.append("\n(").append(rows.size()).append(" rows)\n");
        System.out.print(out);
    }
}
