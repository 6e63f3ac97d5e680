package io.streamingpipeline.query.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.streamingpipeline.localstack.cassandra.CassandraNode;
import io.streamingpipeline.localstack.cassandra.SharedCassandra;
import java.util.Map;

/**
 * The local stack's shared Cassandra node (one per test JVM, authentication on), the contract's schema in
 * {@link #KEYSPACE}, and the service configured for it with the node's read-only role ({@code SELECT} on
 * {@link #KEYSPACE} only), as it runs in production. Tests write their rows as the application role.
 */
public class SharedCassandraResource implements QuarkusTestResourceLifecycleManager {

    public static final String KEYSPACE = "query_api_test";

    @Override
    public Map<String, String> start() {
        CassandraNode node = SharedCassandra.get();
        try (CqlSession session = node.session()) {
            new TestTables(session, KEYSPACE).applySchema();
        }
        node.grantReadOnly(KEYSPACE);
        return Map.of(
                "quarkus.cassandra.contact-points", node.contactPoint(),
                "quarkus.cassandra.local-datacenter", node.datacenter(),
                "quarkus.cassandra.auth.username", node.readerUsername(),
                "quarkus.cassandra.auth.password", node.readerPassword(),
                "query.keyspace", KEYSPACE);
    }

    @Override
    public void stop() {
        // the shared node stops when the test JVM exits
    }
}
