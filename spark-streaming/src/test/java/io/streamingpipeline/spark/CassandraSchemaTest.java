package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.Replication;
import io.streamingpipeline.contract.CassandraSchema.RollupColumns;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The contract's CQL file: statements, keys, TTLs, and the rollup tables' columns against their Java names. */
class CassandraSchemaTest {

    private static final Pattern COLUMN = Pattern.compile(
            "^\\s+([a-z_]+)\\s+(text|bigint|int|uuid|double|timestamp|frozen<list<text>>),?$", Pattern.MULTILINE);

    @Test
    void simpleStrategyForOneLocalNode() {
        List<String> statements = CassandraSchema.statements(Replication.simple(1));
        assertThat(statements).filteredOn(s -> s.startsWith("CREATE TABLE")).hasSize(4);
        assertThat(statements.get(0))
                .isEqualTo("CREATE KEYSPACE IF NOT EXISTS spark_streaming\n"
                        + "    WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    }

    @Test
    void networkTopologyStrategyForClusters() {
        Map<String, Integer> factors = new LinkedHashMap<>();
        factors.put("dc1", 3);
        factors.put("eu-west.2", 2);
        String keyspace =
                CassandraSchema.statements(Replication.networkTopology(factors)).get(0);
        assertThat(keyspace)
                .endsWith("WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'eu-west.2': 2}");
        assertThat(Replication.parse("NetworkTopologyStrategy:dc1=3,eu-west.2=2"))
                .isEqualTo(Replication.networkTopology(factors));
        assertThat(Replication.parse("simple:3")).isEqualTo(Replication.simple(3));
    }

    @Test
    void everyStatementIsAnIdempotentCreateWithEveryPlaceholderFilled() {
        for (Replication r : List.of(Replication.simple(1), Replication.parse("NetworkTopologyStrategy:dc1=3"))) {
            for (String statement : CassandraSchema.statements("ks_1", r, Duration.ofDays(2), Duration.ZERO)) {
                assertThat(statement)
                        .matches("(?s)(CREATE (KEYSPACE|TABLE) IF NOT EXISTS ks_1(\\.[a-z_0-9]+)?"
                                + "|ALTER TABLE ks_1\\.[a-z_0-9]+ ADD IF NOT EXISTS [a-z_]+)\\s.*")
                        .doesNotContain("${")
                        .doesNotContain("--")
                        .doesNotEndWith(";");
            }
        }
    }

    @Test
    void tablesKeysCompactionAndTtls() {
        List<String> statements = CassandraSchema.statements(
                "spark_streaming", Replication.simple(1), Duration.ofDays(30), Duration.ofDays(365));
        String trades = create(statements, CassandraSchema.TRADES_TABLE);
        assertThat(trades)
                .startsWith("CREATE TABLE IF NOT EXISTS spark_streaming.crypto_trades (")
                .contains("PRIMARY KEY ((symbol, day), timestamp_unix, id)")
                .contains("'class': 'TimeWindowCompactionStrategy'")
                .contains("'min_threshold': 8")
                .contains("default_time_to_live = 2592000");
        String candles = create(statements, CassandraSchema.CANDLES_TABLE);
        assertThat(candles)
                .startsWith("CREATE TABLE IF NOT EXISTS spark_streaming.crypto_candles_1m (")
                .contains("PRIMARY KEY ((symbol, day), minute_start)")
                .contains("'class': 'TimeWindowCompactionStrategy'")
                .contains("default_time_to_live = 31536000");
    }

    @Test
    void theRollupColumnNamesAreTheTablesColumnsInOrder() {
        List<String> statements = CassandraSchema.statements(Replication.simple(1));
        // the trades and 1-minute candle tables' columns: TradeFieldTest and CandleFieldTest of the contract
        List<String> rollupTypes = List.of(
                "text",
                "text",
                "timestamp",
                "double",
                "double",
                "double",
                "double",
                "double",
                "bigint",
                "double",
                "int");
        String hourly = create(statements, CassandraSchema.CANDLES_1H_TABLE);
        assertThat(hourly).contains("PRIMARY KEY ((symbol, month), hour_start)");
        assertThat(columns(hourly)).containsExactlyEntriesOf(ordered(RollupColumns.HOURLY, rollupTypes));
        String daily = create(statements, CassandraSchema.CANDLES_1D_TABLE);
        assertThat(daily).contains("PRIMARY KEY ((symbol, year), day_start)");
        assertThat(columns(daily)).containsExactlyEntriesOf(ordered(RollupColumns.DAILY, rollupTypes));
    }

    @Test
    void badInputIsRefusedBeforeItReachesCql() {
        assertThatThrownBy(() ->
                        CassandraSchema.statements("x; DROP", Replication.simple(1), Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Replication.networkTopology(Map.of("dc1': 1}", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Replication.simple(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Replication.parse("NetworkTopologyStrategy:"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CassandraSchema.statements(
                        "ks", Replication.simple(1), Duration.ofDays(365 * 21), Duration.ZERO))
                .hasMessageContaining("trades TTL");
    }

    @Test
    void theTemplateKeepsItsPlaceholdersForOtherTools() {
        assertThat(CassandraSchema.template())
                .contains("${keyspace}", "${replication}", "${trades_ttl_seconds}", "${candles_ttl_seconds}");
    }

    private static String create(List<String> statements, String table) {
        String prefix = "CREATE TABLE IF NOT EXISTS spark_streaming." + table + " (";
        return statements.stream()
                .filter(s -> s.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix));
    }

    private static Map<String, String> columns(String createTable) {
        Map<String, String> columns = new LinkedHashMap<>();
        Matcher m = COLUMN.matcher(createTable);
        while (m.find()) {
            columns.put(m.group(1), m.group(2));
        }
        return columns;
    }

    private static Map<String, String> ordered(List<String> names, List<String> types) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), types.get(i));
        }
        return map;
    }
}
