package io.streamingpipeline.localstack.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import io.streamingpipeline.localstack.process.PortInUseException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared node of this test JVM ({@link SharedCassandra}): each test uses its own keyspace and leaves the node
 * running (the restart and kill tests start it again).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CassandraNodeIT {

    @TempDir
    static Path tempDir;

    private CassandraNode node;

    @BeforeAll
    void startNode() {
        node = SharedCassandra.get();
        System.out.printf(
                "first boot: CQL port open after %d ms, application role logged in after %d ms; pid %d%n",
                node.lastPortOpenDuration().toMillis(), node.lastStartDuration().toMillis(), node.pid());
    }

    @Test
    void applicationRoleCreatesAKeyspaceWritesAndReadsButIsNoSuperuser() {
        try (CqlSession session = node.session()) {
            session.execute("CREATE KEYSPACE it_roundtrip WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE it_roundtrip.kv (k text PRIMARY KEY, v bigint, tags list<text>)");
            session.execute("INSERT INTO it_roundtrip.kv (k, v, tags) VALUES ('a', 1, ['x', 'y'])");
            session.execute("INSERT INTO it_roundtrip.kv (k, v) VALUES ('b', 2)");

            List<Row> rows =
                    session.execute("SELECT k, v, tags FROM it_roundtrip.kv").all();
            assertThat(rows)
                    .extracting(r -> r.getString("k") + "=" + r.getLong("v") + r.getList("tags", String.class))
                    .containsExactlyInAnyOrder("a=1[x, y]", "b=2[]");
            assertThat(session.execute("SELECT data_center FROM system.local")
                            .one()
                            .getString("data_center"))
                    .isEqualTo(CassandraNode.DATACENTER);

            // not a superuser: cannot manage roles
            assertThatThrownBy(() -> session.execute("CREATE ROLE intruder WITH PASSWORD = 'x' AND LOGIN = true"))
                    .isInstanceOf(UnauthorizedException.class);
        }
        assertThat(node.username()).isEqualTo(CassandraNode.DEFAULT_USERNAME);
        assertThat(node.contactPoint()).isEqualTo("127.0.0.1:" + node.port());
    }

    @Test
    void readOnlyRoleReadsItsKeyspaceAndIsRefusedEveryChange() {
        try (CqlSession app = node.session()) {
            app.execute("CREATE KEYSPACE it_readonly WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            app.execute("CREATE TABLE it_readonly.kv (k text PRIMARY KEY, v bigint)");
            app.execute("INSERT INTO it_readonly.kv (k, v) VALUES ('a', 1)");
            app.execute("CREATE KEYSPACE it_readonly_other WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            app.execute("CREATE TABLE it_readonly_other.kv (k text PRIMARY KEY, v bigint)");
        }
        node.grantReadOnly("it_readonly");
        node.grantReadOnly("it_readonly"); // again: no change, no error
        try (CqlSession reader = node.readerSession()) {
            assertThat(reader.execute("SELECT v FROM it_readonly.kv WHERE k = 'a'")
                            .one()
                            .getLong("v"))
                    .isEqualTo(1);
            for (String change : List.of(
                    "INSERT INTO it_readonly.kv (k, v) VALUES ('b', 2)",
                    "UPDATE it_readonly.kv SET v = 3 WHERE k = 'a'",
                    "DELETE FROM it_readonly.kv WHERE k = 'a'",
                    "TRUNCATE it_readonly.kv",
                    "CREATE TABLE it_readonly.other (k text PRIMARY KEY)",
                    "ALTER TABLE it_readonly.kv ADD w text",
                    "DROP TABLE it_readonly.kv",
                    "CREATE KEYSPACE it_readonly_new WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
                    "GRANT SELECT ON KEYSPACE it_readonly_other TO " + node.readerUsername(),
                    "CREATE ROLE intruder WITH PASSWORD = 'x' AND LOGIN = true",
                    "SELECT v FROM it_readonly_other.kv")) {
                assertThatThrownBy(() -> reader.execute(change)).as(change).isInstanceOf(UnauthorizedException.class);
            }
        }
        try (CqlSession app = node.session()) {
            assertThat(app.execute("SELECT k, v FROM it_readonly.kv").all())
                    .extracting(r -> r.getString("k") + "=" + r.getLong("v"))
                    .containsExactly("a=1");
        }
        assertThat(node.readerUsername()).isEqualTo(CassandraNode.READER_USERNAME);
    }

    @Test
    void wrongPasswordIsRejected() {
        assertThatThrownBy(() -> node.sessionBuilder(node.username(), "wrong-password")
                        .build()
                        .close())
                .isInstanceOf(AllNodesFailedException.class)
                .hasMessageContaining("Authentication error");
    }

    @Test
    void cleanRestartKeepsDataPortsAndRole() throws Exception {
        try (CqlSession session = node.session()) {
            session.execute("CREATE KEYSPACE it_restart WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE it_restart.t (id int PRIMARY KEY, name text)");
            for (int i = 0; i < 100; i++) {
                session.execute("INSERT INTO it_restart.t (id, name) VALUES (" + i + ", 'n" + i + "')");
            }
        }
        int port = node.port();
        int storagePort = node.storagePort();
        long oldPid = node.pid();

        long stopStarted = System.nanoTime();
        assertThat(node.stop()).as("clean shutdown within the stop timeout").isTrue();
        long stopMillis = (System.nanoTime() - stopStarted) / 1_000_000;
        assertThat(node.isRunning()).isFalse();
        assertThat(isAlive(oldPid)).isFalse();

        node.startAgain();
        System.out.printf(
                "clean stop %d ms, restart: port open %d ms, ready %d ms%n",
                stopMillis,
                node.lastPortOpenDuration().toMillis(),
                node.lastStartDuration().toMillis());

        assertThat(node.pid()).isNotEqualTo(oldPid);
        assertThat(node.port()).isEqualTo(port);
        assertThat(node.storagePort()).isEqualTo(storagePort);
        try (CqlSession session = node.session("it_restart")) {
            Set<Integer> ids = new HashSet<>();
            session.execute("SELECT id, name FROM t").forEach(r -> {
                assertThat(r.getString("name")).isEqualTo("n" + r.getInt("id"));
                ids.add(r.getInt("id"));
            });
            assertThat(ids).hasSize(100);
        }
        assertThat(Files.readString(node.logFile())).contains("Starting listening for CQL clients");
    }

    @Test
    void everyWriteAcknowledgedBeforeKillNineIsThereAfterStartAgain() throws Exception {
        int count = 3000;
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        try (CqlSession session = node.session()) {
            session.execute("CREATE KEYSPACE it_kill WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE it_kill.t (id int PRIMARY KEY, payload text)");
            PreparedStatement insert = session.prepare("INSERT INTO it_kill.t (id, payload) VALUES (?, ?)");
            Semaphore inFlight = new Semaphore(64);
            AtomicReference<Throwable> error = new AtomicReference<>();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                int id = i;
                CompletionStage<AsyncResultSet> write = session.executeAsync(insert.bind(id, "payload-" + id));
                write.whenComplete((rs, e) -> {
                    if (e == null) {
                        acknowledged.add(id);
                    } else {
                        error.compareAndSet(null, e);
                    }
                    inFlight.release();
                });
            }
            assertThat(inFlight.tryAcquire(64, 60, TimeUnit.SECONDS)).isTrue();
            assertThat(error.get()).isNull();
            System.out.printf("%d writes (64 in flight) in %d ms%n", count, (System.nanoTime() - started) / 1_000_000);
        }
        assertThat(acknowledged).hasSize(count);

        long oldPid = node.pid();
        node.kill(); // right after the last acknowledgement: no flush, no drain
        assertThat(isAlive(oldPid)).isFalse();
        assertThat(node.isRunning()).isFalse();

        node.startAgain();
        System.out.printf(
                "start after kill -9 (commit log replay): port open %d ms, ready %d ms%n",
                node.lastPortOpenDuration().toMillis(), node.lastStartDuration().toMillis());

        try (CqlSession session = node.session("it_kill")) {
            Set<Integer> ids = new HashSet<>();
            session.execute("SELECT id, payload FROM t").forEach(r -> {
                assertThat(r.getString("payload")).isEqualTo("payload-" + r.getInt("id"));
                ids.add(r.getInt("id"));
            });
            assertThat(ids)
                    .as("acknowledged writes after kill -9")
                    .containsAll(acknowledged)
                    .hasSize(count);
        }
    }

    @Test
    void startAgainWhileRunningIsRefused() {
        assertThatThrownBy(() -> node.startAgain())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still running");
    }

    @Test
    void aPortTakenByAnotherSocketGivesAClearError() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> CassandraNode.builder(tempDir.resolve("taken"))
                            .port(port)
                            .start())
                    .isInstanceOf(PortInUseException.class)
                    .hasMessageContaining("Port " + port);
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
