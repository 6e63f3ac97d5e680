package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job jar's {@code --apply-schema}, submitted with spark-submit like the streaming job. */
class SchemaCommandIT {

    private static final String KEYSPACE = "it_schema";

    @TempDir
    Path workDir;

    @Test
    void applyingTheSchemaTwiceIsHarmless() {
        PipelineStack stack = PipelineStack.get();
        TradesJob job = new TradesJob("it-schema", "unused", "unused", KEYSPACE, workDir);

        long started = System.nanoTime();
        SparkDriver first = job.applySchema();
        try {
            assertThat(first.awaitExit(Duration.ofMinutes(2)))
                    .as("first run; log:%n%s", first.logTail(40))
                    .isZero();
        } finally {
            first.kill(); // no-op once it has exited
        }
        System.out.printf(
                "schema command: %d ms (spark-submit, no SparkContext)%n", (System.nanoTime() - started) / 1_000_000);

        try (CqlSession session = stack.cassandra.session()) {
            assertThat(columns(session, CassandraSchema.TRADES_TABLE))
                    .containsOnlyKeys(CassandraSchema.TradeColumns.ALL)
                    .containsEntry("id", "uuid")
                    .containsEntry("price", "double")
                    .containsEntry("conditions", "frozen<list<text>>")
                    .containsEntry("timestamp_unix", "bigint");
            assertThat(columns(session, CassandraSchema.CANDLES_TABLE))
                    .containsOnlyKeys(CassandraSchema.CandleColumns.ALL)
                    .containsEntry("minute_start", "timestamp")
                    .containsEntry("trade_count", "bigint")
                    .containsEntry("open_id", "uuid")
                    .containsEntry("merged_query", "uuid")
                    .containsEntry("merged_batch", "bigint");
            assertThat(defaultTtl(session, CassandraSchema.TRADES_TABLE))
                    .isEqualTo((int) CassandraSchema.DEFAULT_TRADES_TTL.toSeconds());
            session.execute("INSERT INTO " + KEYSPACE + ".crypto_candles_1m (symbol, day, minute_start, open) "
                    + "VALUES ('IT:KEEP', '2026-01-01', '2026-01-01T00:00:00Z', 1.5)");
        }

        SparkDriver second = job.applySchema();
        try {
            assertThat(second.awaitExit(Duration.ofMinutes(2)))
                    .as("second run; log:%n%s", second.logTail(40))
                    .isZero();
        } finally {
            second.kill();
        }

        try (CqlSession session = stack.cassandra.session()) {
            assertThat(session.execute("SELECT open FROM " + KEYSPACE + ".crypto_candles_1m WHERE symbol = 'IT:KEEP' "
                                    + "AND day = '2026-01-01'")
                            .one()
                            .getDouble("open"))
                    .as("data kept")
                    .isEqualTo(1.5);
            assertThat(session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", KEYSPACE)
                            .all())
                    .extracting(r -> r.getString(0))
                    .containsExactlyInAnyOrder(
                            CassandraSchema.TRADES_TABLE,
                            CassandraSchema.CANDLES_TABLE,
                            CassandraSchema.CANDLES_1H_TABLE,
                            CassandraSchema.CANDLES_1D_TABLE);
        }
    }

    private static Map<String, String> columns(CqlSession session, String table) {
        Map<String, String> columns = new HashMap<>();
        for (Row r : session.execute(
                "SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? " + "AND table_name = ?",
                KEYSPACE,
                table)) {
            columns.put(r.getString(0), r.getString(1));
        }
        return columns;
    }

    private static int defaultTtl(CqlSession session, String table) {
        List<Row> rows = session.execute(
                        "SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = ? "
                                + "AND table_name = ?",
                        KEYSPACE,
                        table)
                .all();
        return rows.get(0).getInt(0);
    }
}
