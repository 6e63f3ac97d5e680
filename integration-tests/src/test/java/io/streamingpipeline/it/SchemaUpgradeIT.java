package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.spark.SparkDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --apply-schema} on the keyspace of the previous version (as Compose and Kubernetes volumes keep it): the
 * candle table gets the columns added since ({@code ALTER TABLE ... ADD IF NOT EXISTS}), its rows are kept.
 */
class SchemaUpgradeIT {

    private static final String KEYSPACE = "it_schema_upgrade";

    @TempDir
    Path workDir;

    @Test
    void applyingTheSchemaToAKeyspaceOfThePreviousVersionAddsTheMergeOffsets() {
        PipelineStack stack = PipelineStack.get();
        try (CqlSession session = stack.cassandra.session()) {
            // the previous version's schema: the same CREATE statements, without the ALTER that came since
            for (String statement : CassandraSchema.statements(
                    KEYSPACE,
                    CassandraSchema.Replication.simple(1),
                    CassandraSchema.DEFAULT_TRADES_TTL,
                    CassandraSchema.DEFAULT_CANDLES_TTL)) {
                if (statement.startsWith("CREATE")) {
                    session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(60)));
                }
            }
            assertThat(candleColumns(session)).doesNotContain(CassandraSchema.CandleColumns.MERGED_OFFSETS);
            session.execute("INSERT INTO " + KEYSPACE + ".crypto_candles_1m (symbol, day, minute_start, open) "
                    + "VALUES ('IT:KEEP', '2026-01-01', '2026-01-01T00:00:00Z', 1.5)");
        }

        TradesJob job = new TradesJob("it-schema-upgrade", "unused", "unused", KEYSPACE, workDir);
        for (int run = 1; run <= 2; run++) { // and once more: idempotent
            SparkDriver driver = job.applySchema();
            try {
                assertThat(driver.awaitExit(Duration.ofMinutes(2)))
                        .as("run %d; log:%n%s", run, driver.logTail(40))
                        .isZero();
            } finally {
                driver.kill();
            }
        }

        try (CqlSession session = stack.cassandra.session()) {
            assertThat(candleColumns(session)).containsExactlyInAnyOrderElementsOf(CassandraSchema.CandleColumns.ALL);
            assertThat(session.execute(
                                    "SELECT type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ? "
                                            + "AND column_name = ?",
                                    KEYSPACE,
                                    CassandraSchema.CANDLES_TABLE,
                                    CassandraSchema.CandleColumns.MERGED_OFFSETS)
                            .one()
                            .getString(0))
                    .isEqualTo("frozen<map<text, bigint>>");
            assertThat(session.execute("SELECT open FROM " + KEYSPACE + ".crypto_candles_1m WHERE symbol = 'IT:KEEP' "
                                    + "AND day = '2026-01-01'")
                            .one()
                            .getDouble("open"))
                    .as("data kept")
                    .isEqualTo(1.5);
        }
    }

    private static List<String> candleColumns(CqlSession session) {
        return session
                .execute(
                        "SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
                        KEYSPACE,
                        CassandraSchema.CANDLES_TABLE)
                .all()
                .stream()
                .map(r -> r.getString(0))
                .toList();
    }
}
