package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * The requests a Cassandra node has served on its open client connections ({@code system_views.clients}): the
 * difference over a phase divided into the rows written is the rows per request, i.e. how full the batches were.
 */
final class NodeRequests {

    private NodeRequests() {}

    static long total(CqlSession session) {
        long total = 0;
        for (Row row : session.execute("SELECT request_count FROM system_views.clients")) {
            total += row.getLong(0);
        }
        return total;
    }
}
