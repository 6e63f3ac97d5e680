package io.streamingpipeline.deploy.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.deploy.compose.Repo;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * k8s/base/scripts/cassandra-bootstrap-roles.sh (Kubernetes' schema Job and init containers, Compose's cassandra-roles
 * and cassandra-grants) run by bash against a real Cassandra 5.0 node of the local stack, with {@link CqlshStandIn}
 * as its cqlsh. The node keeps credentials for 40 s instead of 2 (credentials_validity): a first login with a changed
 * password fails for that long, so the script's bounded retry is exercised every time instead of by chance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CassandraRolesScriptIT {

    static final String SCRIPT = "k8s/base/scripts/cassandra-bootstrap-roles.sh";
    private static final String ADMIN = "pipeline_admin";
    private static final String WRITER = "pipeline";
    private static final String READER = "pipeline_reader";
    private static final String ADMIN_PASSWORD = "adm'in pass%1";
    private static final String WRITER_PASSWORD = "wr!ter$pw";
    private static final String READER_PASSWORD = "re@der pw";
    private static final String NEW_WRITER_PASSWORD = "new writer pw";
    private static final String KEYSPACE = CassandraSchema.DEFAULT_KEYSPACE;
    /** How long the node answers logins from cached credentials (Cassandra's default: 2 s). */
    private static final int CREDENTIALS_VALIDITY_SECONDS = 40;

    private static Path dir;
    private static CassandraNode node;
    private static Path argumentsLog;

    @BeforeAll
    static void startNode() throws IOException {
        dir = Files.createTempDirectory(Path.of("target"), "roles-script-it").toAbsolutePath();
        node = CassandraNode.builder(dir.resolve("node"))
                // the node's own start-up role, unrelated to the script's
                .credentials("node_probe", "node-probe-password")
                .yamlSetting("credentials_validity", CREDENTIALS_VALIDITY_SECONDS + "s")
                .startTimeout(Duration.ofMinutes(4))
                .start();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path cqlsh = bin.resolve("cqlsh");
        Files.writeString(
                cqlsh,
                "#!/bin/bash\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                        + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=off -cp '"
                        + classpath + "' " + CqlshStandIn.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(cqlsh, PosixFilePermissions.fromString("rwxr-xr-x"));
        argumentsLog = dir.resolve("cqlsh-arguments.log");
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.stop();
        }
    }

    @Test
    @Order(1)
    void rolesReplaceTheDefaultSuperuser() {
        Result run = script("roles", passwordsInVariables(), 180);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("creating the superuser " + ADMIN, "roles ready");
        try (CqlSession admin = login(ADMIN, ADMIN_PASSWORD)) {
            var roles = admin.execute("SELECT role, is_superuser, can_login FROM system_auth.roles")
                    .all();
            assertThat(roles)
                    .anySatisfy(r -> {
                        assertThat(r.getString("role")).isEqualTo(ADMIN);
                        assertThat(r.getBoolean("is_superuser")).isTrue();
                    })
                    .anySatisfy(r -> {
                        assertThat(r.getString("role")).isEqualTo("cassandra");
                        assertThat(r.getBoolean("is_superuser")).isFalse();
                        assertThat(r.getBoolean("can_login")).isFalse();
                    })
                    .anySatisfy(r -> {
                        assertThat(r.getString("role")).isEqualTo(READER);
                        assertThat(r.getBoolean("is_superuser")).isFalse();
                        assertThat(r.getBoolean("can_login")).isTrue();
                    });
        }
        // the default superuser is refused once the node's role cache let go of it
        awaitRefused("cassandra", "cassandra");
        try (CqlSession writer = login(WRITER, WRITER_PASSWORD)) {
            // what the schema command does next, as the writer
            CassandraSchema.statements(
                            KEYSPACE,
                            CassandraSchema.Replication.simple(1),
                            CassandraSchema.DEFAULT_TRADES_TTL,
                            CassandraSchema.DEFAULT_CANDLES_TTL)
                    .forEach(writer::execute);
        }
    }

    @Test
    @Order(2)
    void grantsLetTheReaderReadTheKeyspaceAndNothingElse() {
        Map<String, String> awaitReader = new HashMap<>(passwordsInVariables());
        awaitReader.putAll(Map.of(
                "CASSANDRA_LOGIN_USERNAME",
                READER,
                "CASSANDRA_LOGIN_PASSWORD",
                READER_PASSWORD,
                "CASSANDRA_TABLES",
                CassandraSchema.TRADES_TABLE + "," + CassandraSchema.CANDLES_TABLE,
                "CASSANDRA_LOGIN_TIMEOUT",
                "4"));
        Result before = script("await-tables", awaitReader, 60);
        assertThat(before.exitCode()).as(before.output()).isNotZero();
        assertThat(before.output()).contains(READER + " cannot read " + KEYSPACE, "cassandra-schema");

        Result grants = script("grants", passwordsInVariables(), 120);
        assertThat(grants.exitCode()).as(grants.output()).isZero();

        Result after = script("await-tables", awaitReader, 60);
        assertThat(after.exitCode()).as(after.output()).isZero();
        String insert =
                "INSERT INTO " + KEYSPACE + "." + CassandraSchema.TRADES_TABLE + " (symbol, day, timestamp_unix, id,"
                        + " price, volume) VALUES ('BINANCE:BTCUSDT', '2026-01-01', 1767225600000, 019ab2d4-5c1e-7a3b-8c4d-0123456789ab,"
                        + " 1.5, 2.5)";
        try (CqlSession reader = login(READER, READER_PASSWORD)) {
            assertThat(reader.execute("SELECT * FROM " + KEYSPACE + "." + CassandraSchema.CANDLES_TABLE + " LIMIT 1")
                            .all())
                    .isEmpty();
            assertThatThrownBy(() -> reader.execute(insert)).isInstanceOf(UnauthorizedException.class);
            assertThatThrownBy(() -> reader.execute("CREATE KEYSPACE reader_ks WITH replication = "
                            + "{'class': 'SimpleStrategy', 'replication_factor': 1}"))
                    .isInstanceOf(UnauthorizedException.class);
            assertThatThrownBy(() -> reader.execute("SELECT * FROM system_auth.roles"))
                    .isInstanceOf(UnauthorizedException.class);
        }
        try (CqlSession writer = login(WRITER, WRITER_PASSWORD)) {
            writer.execute(insert);
            assertThatThrownBy(() -> writer.execute("CREATE KEYSPACE writer_ks WITH replication = "
                            + "{'class': 'SimpleStrategy', 'replication_factor': 1}"))
                    .isInstanceOf(UnauthorizedException.class);
        }
    }

    /**
     * Kubernetes' form: the passwords are the files of the Secret, system_auth is replicated once the ring has the
     * StatefulSet's nodes; a second run finds its own superuser.
     */
    @Test
    @Order(3)
    void runningAgainWithSecretFilesChangesNothing() throws IOException {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("superuser-password"), ADMIN_PASSWORD);
        Files.writeString(secrets.resolve("pipeline-password"), WRITER_PASSWORD);
        Files.writeString(secrets.resolve("reader-password"), READER_PASSWORD);
        Map<String, String> env = new HashMap<>(common());
        env.put("CASSANDRA_SECRETS_DIR", secrets.toString());
        env.put("SYSTEM_AUTH_REPLICATION", "{'class': 'SimpleStrategy', 'replication_factor': 1}");

        Map<String, String> twoNodes = new HashMap<>(env);
        twoNodes.putAll(Map.of("CASSANDRA_NODES", "2", "CASSANDRA_LOGIN_TIMEOUT", "3"));
        Result waiting = script("roles", twoNodes, 60);
        assertThat(waiting.exitCode()).as(waiting.output()).isNotZero();
        assertThat(waiting.output()).contains("the ring has 1 of 2 nodes");

        env.put("CASSANDRA_NODES", "1");
        Result roles = script("roles", env, 120);
        assertThat(roles.exitCode()).as(roles.output()).isZero();
        assertThat(roles.output())
                .doesNotContain("creating the superuser")
                .contains("system_auth replication", "roles ready");
        env.put("CASSANDRA_KEYSPACE", KEYSPACE);
        Result grants = script("grants", env, 120);
        assertThat(grants.exitCode()).as(grants.output()).isZero();
        try (CqlSession reader = login(READER, READER_PASSWORD)) {
            reader.execute("SELECT * FROM " + KEYSPACE + "." + CassandraSchema.TRADES_TABLE + " LIMIT 1");
        }
    }

    /** Compose after a switch of env files: the volume was set up with another superuser password. */
    @Test
    @Order(4)
    void anotherSuperuserPasswordStopsWithAMessageSayingWhatToDo() {
        Map<String, String> env = new HashMap<>(passwordsInVariables());
        env.put("CASSANDRA_ADMIN_PASSWORD", "not-the-one-it-was-set-up-with");
        env.put("CASSANDRA_LOGIN_TIMEOUT", "5");
        Result run = script("roles", env, 60);
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output())
                .contains("another superuser password", "docker compose down -v")
                .doesNotContain("not-the-one-it-was-set-up-with");
    }

    /**
     * A new password for the writer: the node still answers its logins from the cached old credentials for 40 s
     * (credentials_validity; 2 s by default), so the script's first login with the new one fails and is retried.
     */
    @Test
    @Order(5)
    void aChangedPasswordIsWaitedForUntilTheNodeAcceptsIt() {
        try (CqlSession admin = login(ADMIN, ADMIN_PASSWORD)) {
            // the cached entry is refreshed only on expiry: drop it, so that the next login caches it for the full time
            admin.execute("DELETE FROM system_views.credentials_cache_keys WHERE role = '" + WRITER + "'");
        }
        try (CqlSession writer = login(WRITER, WRITER_PASSWORD)) {
            writer.execute("SELECT release_version FROM system.local");
        }
        Map<String, String> env = new HashMap<>(passwordsInVariables());
        env.put("CASSANDRA_PASSWORD", NEW_WRITER_PASSWORD);
        Result run = script("roles", env, 120);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("waiting for a login as " + WRITER, "roles ready");
        try (CqlSession writer = login(WRITER, NEW_WRITER_PASSWORD)) {
            writer.execute("SELECT * FROM " + KEYSPACE + "." + CassandraSchema.TRADES_TABLE + " LIMIT 1");
        }
    }

    @Test
    @Order(6)
    void noPasswordWasEverOnACommandLine() throws IOException {
        String arguments = Files.readString(argumentsLog, StandardCharsets.UTF_8);
        assertThat(arguments).contains("--credentials");
        for (String password : List.of(ADMIN_PASSWORD, WRITER_PASSWORD, READER_PASSWORD, NEW_WRITER_PASSWORD)) {
            assertThat(arguments).doesNotContain(password);
        }
        assertThat(arguments.lines()).doesNotContain("-p", "--password");
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, String> common() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        env.put("CASSANDRA_HOSTS", node.host());
        env.put("CASSANDRA_PORT", Integer.toString(node.port()));
        env.put("CASSANDRA_LOGIN_INTERVAL", "1");
        env.put("CASSANDRA_LOGIN_TIMEOUT", "120");
        env.put("CASSANDRA_SECRETS_DIR", dir.resolve("no-secrets").toString());
        env.put("TMPDIR", dir.toString());
        env.put("CQLSH_STANDIN_ARGS_LOG", argumentsLog.toString());
        return env;
    }

    /** Compose's form: the passwords in the environment. */
    private static Map<String, String> passwordsInVariables() {
        Map<String, String> env = common();
        env.put("CASSANDRA_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("CASSANDRA_PASSWORD", WRITER_PASSWORD);
        env.put("CASSANDRA_READER_PASSWORD", READER_PASSWORD);
        env.put("CASSANDRA_KEYSPACE", KEYSPACE);
        return env;
    }

    record Result(int exitCode, String output) {}

    private static Result script(String step, Map<String, String> env, int timeoutSeconds) {
        try {
            Path output = Files.createTempFile(dir, "script-" + step, ".out");
            ProcessBuilder builder = new ProcessBuilder(
                            "bash", Repo.path(SCRIPT).toString(), step)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("CASSANDRA_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(
                        step + " did not finish within " + timeoutSeconds + " s:\n" + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CqlSession login(String user, String password) {
        return node.sessionBuilder(user, password).build();
    }

    private static void awaitRefused(String user, String password) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (CqlSession ignored = login(user, password)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(user + " can still log in 60 s after the script disabled it");
                }
            } catch (AllNodesFailedException refused) {
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
