package io.streamingpipeline.localstack.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import java.util.regex.Pattern;

/**
 * The node's two roles besides the default superuser: the application role (LOGIN, all permissions on all keyspaces,
 * not a superuser) and the read-only role (LOGIN; {@code SELECT} comes later, per keyspace).
 */
final class CassandraRoles {

    static final String SUPERUSER = "cassandra";
    static final String SUPERUSER_PASSWORD = "cassandra";

    private static final Pattern ROLE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    private CassandraRoles() {}

    /**
     * Creates the application role and the read-only role, or sets their passwords and LOGIN again; grants the
     * application role all data permissions and reading {@code system_views} (again: a no-op whose server warning
     * "already granted" is not logged).
     * The read-only role gets no permission here: its keyspace may not exist yet
     * ({@link CassandraNode#grantReadOnly(String)}).
     */
    static void provision(
            CqlSession admin, String username, String password, String readerUsername, String readerPassword) {
        loginRole(admin, username, password);
        admin.execute("GRANT ALL PERMISSIONS ON ALL KEYSPACES TO " + username);
        // the node's own counters (e.g. reads per table) for tests and benchmarks; "all keyspaces" excludes them
        admin.execute("GRANT SELECT ON KEYSPACE system_views TO " + username);
        loginRole(admin, readerUsername, readerPassword);
    }

    /** Fails with what is wrong when {@code user} with {@code pass} cannot be the {@code which} role. */
    static void check(String user, String pass, String which) {
        if (user == null || !ROLE_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("role name must be a lowercase letter followed by at most 47 "
                    + "lowercase letters, digits or underscores, was '" + user + "'");
        }
        if (user.equals(SUPERUSER)) {
            throw new IllegalArgumentException("the " + which + " role must not be the default superuser");
        }
        if (pass == null || pass.isEmpty()) {
            throw new IllegalArgumentException("the " + which + " role needs a password");
        }
    }

    private static void loginRole(CqlSession admin, String role, String rolePassword) {
        String pass = cqlString(rolePassword);
        admin.execute("CREATE ROLE IF NOT EXISTS " + role + " WITH PASSWORD = " + pass + " AND LOGIN = true");
        admin.execute("ALTER ROLE " + role + " WITH PASSWORD = " + pass + " AND LOGIN = true");
    }

    private static String cqlString(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
