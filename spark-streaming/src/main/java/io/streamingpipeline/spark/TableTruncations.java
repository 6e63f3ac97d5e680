package io.streamingpipeline.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.Node;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each table was last emptied by {@code TRUNCATE}. A truncated table keeps its id, so {@link SinkTablesCheck}
 * cannot tell it by that; every Cassandra node records its own truncations instead, in {@code system.local}'s
 * {@code truncated_at}: per table id, the commit log position at the truncation and then its time (UNIX ms, 8 bytes,
 * the node's clock). The latest time any reachable node recorded is the table's.
 */
final class TableTruncations {

    private static final Logger LOG = LoggerFactory.getLogger(TableTruncations.class);

    static final String CQL = "SELECT truncated_at FROM system.local";

    private TableTruncations() {}

    /**
     * The latest truncation time of each table of {@code idsByTable} (name to Cassandra's id) that any node recorded;
     * tables never truncated are absent. Nodes the driver keeps no connection to are not asked; a node that does not
     * answer is skipped, with a warning.
     */
    static Map<String, Long> latest(CqlSession session, Map<String, String> idsByTable) {
        Map<String, Long> latest = new LinkedHashMap<>();
        for (Node node : session.getMetadata().getNodes().values()) {
            // no connection to it (another data center); every node records a TRUNCATE, those asked too
            if (node.getDistance() == NodeDistance.IGNORED) {
                continue;
            }
            Row row;
            try {
                row = session.execute(
                                SimpleStatement.newInstance(CQL).setNode(node).setTimeout(Duration.ofSeconds(10)))
                        .one();
            } catch (RuntimeException e) {
                LOG.warn("Cannot read the truncations recorded by Cassandra node {}: {}", node, e.toString());
                continue;
            }
            Map<UUID, ByteBuffer> recorded = row == null ? Map.of() : row.getMap(0, UUID.class, ByteBuffer.class);
            latest(recorded, idsByTable).forEach((table, at) -> latest.merge(table, at, Math::max));
        }
        return latest;
    }

    /** The truncation time of each table of {@code idsByTable} in one node's {@code truncated_at}. */
    static Map<String, Long> latest(Map<UUID, ByteBuffer> truncatedAt, Map<String, String> idsByTable) {
        Map<String, Long> times = new LinkedHashMap<>();
        idsByTable.forEach((table, id) -> {
            ByteBuffer record = truncatedAt.get(UUID.fromString(id));
            if (record != null && record.remaining() >= Long.BYTES) {
                times.put(table, record.getLong(record.limit() - Long.BYTES));
            }
        });
        return times;
    }
}
