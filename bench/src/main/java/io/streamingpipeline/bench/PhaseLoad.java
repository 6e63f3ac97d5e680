package io.streamingpipeline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.Locale;

/**
 * What one phase of bench/sink cost: the CPU of each process ({@link ProcessCpu}), Cassandra's CPU per row written,
 * and the requests the node served on its open client connections ({@code system_views.clients}), whose rows per
 * request say how full the batches were.
 */
final class PhaseLoad {

    private final ProcessCpu cpu;
    private final CqlSession session;
    private final ProcessCpu.Sample cpuAtStart;
    private final long requestsAtStart;

    private PhaseLoad(ProcessCpu cpu, CqlSession session) {
        this.cpu = cpu;
        this.session = session;
        this.cpuAtStart = cpu.sample();
        this.requestsAtStart = requests(session);
    }

    static PhaseLoad start(ProcessCpu cpu, CqlSession session) {
        return new PhaseLoad(cpu, session);
    }

    /** "CPU in cores: ...; Cassandra 12.1 µs of CPU per row; 3,006 requests (199.6 rows each)" since the start. */
    String since(long rowsWritten) {
        ProcessCpu.Sample now = cpu.sample();
        // less the query that reads the count
        long requests = requests(session) - requestsAtStart - 1;
        return String.format(
                Locale.ROOT,
                "CPU in cores: %s; Cassandra %.1f µs of CPU per row; %,d requests (%.1f rows each)",
                now.coresSince(cpuAtStart),
                now.cpuSecondsSince(cpuAtStart, SinkBenchmark.CASSANDRA) * 1e6 / Math.max(1, rowsWritten),
                requests,
                (double) rowsWritten / Math.max(1, requests));
    }

    private static long requests(CqlSession session) {
        long total = 0;
        for (Row row : session.execute("SELECT request_count FROM system_views.clients")) {
            total += row.getLong(0);
        }
        return total;
    }
}
