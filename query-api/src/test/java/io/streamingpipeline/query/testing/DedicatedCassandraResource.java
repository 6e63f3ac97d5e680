package io.streamingpipeline.query.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Cassandra node of its own (tests stop and restart it; the shared node must stay up for others); the service reads
 * as a read-only role whose password it gets as a file ({@code query.cassandra.password-file}), as a mounted secret.
 */
public class DedicatedCassandraResource implements QuarkusTestResourceLifecycleManager {

    public static final String KEYSPACE = "query_api_outage";
    private static volatile CassandraNode node;
    private Path dir;

    public static CassandraNode node() {
        return node;
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outage-cassandra-");
            node = CassandraNode.builder(dir.resolve("node"))
                    .readerCredentials("query_reader", "s3cret-from-file")
                    .start();
            Path secret = dir.resolve("cassandra-password");
            Files.writeString(secret, node.readerPassword() + "\n");
            try (CqlSession session = node.session()) {
                new TestTables(session, KEYSPACE).applySchema();
            }
            node.grantReadOnly(KEYSPACE);
            return Map.of(
                    "quarkus.cassandra.contact-points", node.contactPoint(),
                    "quarkus.cassandra.local-datacenter", node.datacenter(),
                    "quarkus.cassandra.auth.username", node.readerUsername(),
                    "query.cassandra.password-file", secret.toString(),
                    "query.keyspace", KEYSPACE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        CassandraNode current = node;
        if (current != null) {
            current.stop();
        }
        if (dir != null && !Boolean.getBoolean("localstack.keep")) { // -Dlocalstack.keep=true keeps cassandra.log
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // a leftover directory under target/ is harmless
            }
        }
    }
}
