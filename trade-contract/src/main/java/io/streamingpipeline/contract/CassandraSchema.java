package io.streamingpipeline.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Cassandra schema of the pipeline: names of the keyspace, tables and columns, and the statements of
 * {@link #RESOURCE} with their placeholders filled in. Plain Java, no driver: whoever applies the statements
 * (the Spark job's schema command, a test, an init container) brings its own session.
 */
public final class CassandraSchema {

    private CassandraSchema() {}

    /** Classpath location of the CQL file, the one definition of keyspace and tables. */
    public static final String RESOURCE = "/contract/cassandra-schema.cql";

    public static final String DEFAULT_KEYSPACE = "spark_streaming";
    public static final String TRADES_TABLE = "crypto_trades";
    public static final String CANDLES_TABLE = "crypto_candles_1m";
    /** Hourly candles, rolled up from a day's 1-minute candles: see {@link RollupColumns}. */
    public static final String CANDLES_1H_TABLE = "crypto_candles_1h";
    /** Daily candles, rolled up from a day's 1-minute candles: see {@link RollupColumns}. */
    public static final String CANDLES_1D_TABLE = "crypto_candles_1d";

    /** Raw trades are kept 30 days unless configured otherwise. */
    public static final Duration DEFAULT_TRADES_TTL = Duration.ofDays(30);
    /** Candles are kept a year unless configured otherwise. */
    public static final Duration DEFAULT_CANDLES_TTL = Duration.ofDays(365);
    /** Cassandra refuses a TTL above 20 years. */
    public static final Duration MAX_TTL = Duration.ofSeconds(630_720_000L);

    /** The placeholders of {@link #RESOURCE}, {@code ${name}}. */
    public static final class Placeholders {
        private Placeholders() {}

        public static final String KEYSPACE = "keyspace";
        public static final String REPLICATION = "replication";
        public static final String TRADES_TTL_SECONDS = "trades_ttl_seconds";
        public static final String CANDLES_TTL_SECONDS = "candles_ttl_seconds";
    }

    /** Columns of {@link #TRADES_TABLE}: the contract's {@link TradeField}s plus the partition's {@code day}. */
    public static final class TradeColumns {
        private TradeColumns() {}

        public static final String SYMBOL = TradeContract.Fields.SYMBOL;
        /** UTC date of the trade, {@code yyyy-MM-dd}. */
        public static final String DAY = "day";

        public static final String TIMESTAMP_UNIX = TradeContract.Fields.TIMESTAMP_UNIX;
        public static final String ID = TradeContract.Fields.ID;
        public static final String PRICE = TradeContract.Fields.PRICE;
        public static final String VOLUME = TradeContract.Fields.VOLUME;
        public static final String CONDITIONS = TradeContract.Fields.CONDITIONS;
        public static final String INGESTED_AT = TradeContract.Fields.INGESTED_AT;

        /** The primary key: partition key {@code (symbol, day)}, then the clustering columns. */
        public static final List<String> PRIMARY_KEY = List.of(SYMBOL, DAY, TIMESTAMP_UNIX, ID);

        /** In table order: the primary key, then the other trade fields in {@link TradeField} order. */
        public static final List<String> ALL = concat(
                PRIMARY_KEY,
                Arrays.stream(TradeField.values())
                        .map(TradeField::cqlName)
                        .filter(column -> !PRIMARY_KEY.contains(column))
                        .toList());

        /** The CQL type of a column of {@link #ALL}. */
        public static String cqlType(String column) {
            if (DAY.equals(column)) {
                return "text";
            }
            TradeField field = TradeField.ofJsonName(column);
            if (field == null) {
                throw new IllegalArgumentException("not a column of " + TRADES_TABLE + ": " + column);
            }
            return field.type().cql();
        }
    }

    /** Columns of {@link #CANDLES_TABLE}: one row per symbol and UTC minute; their types are {@link CandleField}'s. */
    public static final class CandleColumns {
        private CandleColumns() {}

        public static final String SYMBOL = TradeContract.Fields.SYMBOL;
        /** UTC date of {@link #MINUTE_START}, {@code yyyy-MM-dd}. */
        public static final String DAY = "day";

        public static final String MINUTE_START = "minute_start";
        /** Price of the earliest trade of the minute by trade time (ties: smallest id). */
        public static final String OPEN = "open";

        public static final String HIGH = "high";
        public static final String LOW = "low";
        /** Price of the latest trade of the minute by trade time (ties: largest id). */
        public static final String CLOSE = "close";

        public static final String VOLUME = "volume";
        public static final String TRADE_COUNT = "trade_count";
        /** Volume-weighted average price; null when the minute's volume is 0. */
        public static final String VWAP = "vwap";
        /** Trade time (UNIX ms) and id of the trade that set {@link #OPEN}. */
        public static final String OPEN_TIME = "open_time";

        public static final String OPEN_ID = "open_id";
        /** Trade time (UNIX ms) and id of the trade that set {@link #CLOSE}. */
        public static final String CLOSE_TIME = "close_time";

        public static final String CLOSE_ID = "close_id";
        /** Id of the streaming query (stable across restarts from its checkpoint) that last merged trades in. */
        public static final String MERGED_QUERY = "merged_query";
        /** The last micro-batch of that query merged in (candles of earlier versions are replay-checked by it). */
        public static final String MERGED_BATCH = "merged_batch";
        /**
         * Per Kafka partition of the trades topic ({@code <topic>-<partition>}), the offset of the last trade merged
         * in: trades at or below it are in the candle already. Added by {@code ALTER TABLE ... ADD IF NOT EXISTS}.
         */
        public static final String MERGED_OFFSETS = "merged_offsets";

        /** What readers of candles need: the key and the candle ({@link CandleField.Part}). */
        public static final List<String> CANDLE =
                CandleField.names(CandleField.of(CandleField.Part.KEY, CandleField.Part.CANDLE));
        /** In table order: the candle, then what the job needs to merge more trades into it. */
        public static final List<String> ALL = CandleField.names(List.of(CandleField.values()));
    }

    /**
     * Columns of {@link #CANDLES_1H_TABLE} and {@link #CANDLES_1D_TABLE}: one row per symbol and UTC hour (partition
     * {@code (symbol, month)}) or UTC day (partition {@code (symbol, year)}).
     */
    public static final class RollupColumns {
        private RollupColumns() {}

        public static final String SYMBOL = TradeContract.Fields.SYMBOL;
        /** Partition bucket of the hourly table: {@code yyyy-MM} of {@link #HOUR_START}. */
        public static final String MONTH = "month";

        public static final String HOUR_START = "hour_start";
        /** Partition bucket of the daily table: {@code yyyy} of {@link #DAY_START}. */
        public static final String YEAR = "year";

        public static final String DAY_START = "day_start";
        /** Open of the period's first 1-minute candle, close of its last. */
        public static final String OPEN = CandleColumns.OPEN;

        public static final String HIGH = CandleColumns.HIGH;
        public static final String LOW = CandleColumns.LOW;
        public static final String CLOSE = CandleColumns.CLOSE;
        public static final String VOLUME = CandleColumns.VOLUME;
        public static final String TRADE_COUNT = CandleColumns.TRADE_COUNT;
        /** Volume-weighted average price of the period; null when its volume is 0. */
        public static final String VWAP = CandleColumns.VWAP;
        /** How many 1-minute candles the row was built from. */
        public static final String MINUTE_COUNT = "minute_count";

        /** What both tables hold after their keys. */
        public static final List<String> VALUES =
                List.of(OPEN, HIGH, LOW, CLOSE, VOLUME, TRADE_COUNT, VWAP, MINUTE_COUNT);

        public static final List<String> HOURLY = concat(List.of(SYMBOL, MONTH, HOUR_START), VALUES);
        public static final List<String> DAILY = concat(List.of(SYMBOL, YEAR, DAY_START), VALUES);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,47}");
    private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
    private static final Pattern LEFTOVER_PLACEHOLDER = Pattern.compile("\\$\\{[^}]*}");

    /** The statements with the default keyspace and TTLs. */
    public static List<String> statements(Replication replication) {
        return statements(DEFAULT_KEYSPACE, replication, DEFAULT_TRADES_TTL, DEFAULT_CANDLES_TTL);
    }

    /**
     * The statements of {@link #RESOURCE} in order (keyspace first), comments removed, placeholders filled in,
     * without the trailing semicolons. Each one is {@code CREATE ... IF NOT EXISTS} or {@code ALTER TABLE ... ADD IF NOT
     * EXISTS}, so applying them again, or to the tables of an earlier version, is harmless.
     *
     * @param tradesTtl  default TTL of raw trades, {@link Duration#ZERO} = forever
     * @param candlesTtl default TTL of candles, {@link Duration#ZERO} = forever
     */
    public static List<String> statements(
            String keyspace, Replication replication, Duration tradesTtl, Duration candlesTtl) {
        Objects.requireNonNull(replication, "replication");
        Map<String, String> values = new LinkedHashMap<>();
        values.put(Placeholders.KEYSPACE, keyspace(keyspace));
        values.put(Placeholders.REPLICATION, replication.cql());
        values.put(Placeholders.TRADES_TTL_SECONDS, Long.toString(ttlSeconds("trades TTL", tradesTtl)));
        values.put(Placeholders.CANDLES_TTL_SECONDS, Long.toString(ttlSeconds("candles TTL", candlesTtl)));

        String text = withoutComments(template());
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace("${" + e.getKey() + "}", e.getValue());
        }
        var leftover = LEFTOVER_PLACEHOLDER.matcher(text);
        if (leftover.find()) {
            throw new IllegalStateException(
                    RESOURCE + " has a placeholder this class does not fill: " + leftover.group());
        }
        List<String> statements = new ArrayList<>();
        for (String part : text.split(";")) {
            String statement = part.strip();
            if (!statement.isEmpty()) {
                statements.add(statement);
            }
        }
        return List.copyOf(statements);
    }

    /** The raw text of {@link #RESOURCE}, placeholders and comments included. */
    public static String template() {
        try (InputStream in = CassandraSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Checks a keyspace name (unquoted CQL identifier, at most 48 characters) and returns it. */
    public static String keyspace(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("keyspace must be a letter followed by at most 47 letters, digits or "
                    + "underscores, was " + (name == null ? "absent" : "'" + name + "'"));
        }
        return name;
    }

    private static long ttlSeconds(String what, Duration ttl) {
        Objects.requireNonNull(ttl, what);
        if (ttl.isNegative() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(
                    what + " must be between 0 (forever) and " + MAX_TTL.toDays() + " days, was " + ttl);
        }
        return ttl.toSeconds();
    }

    private static String withoutComments(String cql) {
        return cql.lines().filter(line -> !line.stripLeading().startsWith("--")).collect(Collectors.joining("\n"));
    }

    /**
     * How the keyspace is replicated: {@code SimpleStrategy} with one factor (a single local node), or
     * {@code NetworkTopologyStrategy} with a factor per datacenter (any real cluster).
     */
    public static final class Replication {

        private final String strategy;
        private final Map<String, Integer> factors;

        private Replication(String strategy, Map<String, Integer> factors) {
            this.strategy = strategy;
            this.factors = factors;
        }

        public static Replication simple(int replicationFactor) {
            return new Replication(
                    "SimpleStrategy", Map.of("replication_factor", factor("replication_factor", replicationFactor)));
        }

        /** @param factorByDatacenter e.g. {@code {dc1=3, dc2=3}}, in the order given */
        public static Replication networkTopology(Map<String, Integer> factorByDatacenter) {
            if (factorByDatacenter == null || factorByDatacenter.isEmpty()) {
                throw new IllegalArgumentException("NetworkTopologyStrategy needs at least one datacenter=factor");
            }
            Map<String, Integer> factors = new LinkedHashMap<>();
            factorByDatacenter.forEach((dc, rf) -> {
                if (dc == null || !DATACENTER.matcher(dc).matches()) {
                    throw new IllegalArgumentException("not a datacenter name: '" + dc + "'");
                }
                factors.put(dc, factor(dc, rf == null ? 0 : rf));
            });
            return new Replication("NetworkTopologyStrategy", factors);
        }

        /**
         * Reads {@code SimpleStrategy:1} or {@code NetworkTopologyStrategy:dc1=3,dc2=3} (strategy names are
         * case-insensitive; {@code simple} and {@code network} are accepted too).
         */
        public static Replication parse(String text) {
            String usage = "replication must look like SimpleStrategy:1 or NetworkTopologyStrategy:dc1=3,dc2=3, was "
                    + (text == null ? "absent" : "'" + text + "'");
            if (text == null || text.indexOf(':') < 0) {
                throw new IllegalArgumentException(usage);
            }
            String kind = text.substring(0, text.indexOf(':')).strip().toLowerCase(Locale.ROOT);
            String rest = text.substring(text.indexOf(':') + 1).strip();
            try {
                switch (kind) {
                    case "simplestrategy", "simple" -> {
                        return simple(Integer.parseInt(rest));
                    }
                    case "networktopologystrategy", "network" -> {
                        Map<String, Integer> factors = new LinkedHashMap<>();
                        for (String pair : rest.split(",")) {
                            String[] kv = pair.split("=", 2);
                            if (kv.length != 2) {
                                throw new IllegalArgumentException(usage);
                            }
                            factors.put(kv[0].strip(), Integer.parseInt(kv[1].strip()));
                        }
                        return networkTopology(factors);
                    }
                    default -> throw new IllegalArgumentException(usage);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(usage, e);
            }
        }

        public String strategy() {
            return strategy;
        }

        public Map<String, Integer> factors() {
            return Map.copyOf(factors);
        }

        /** The CQL map, e.g. {@code {'class': 'SimpleStrategy', 'replication_factor': 1}}. */
        public String cql() {
            StringBuilder cql =
                    new StringBuilder("{'class': '").append(strategy).append('\'');
            factors.forEach(
                    (key, rf) -> cql.append(", '").append(key).append("': ").append(rf));
            return cql.append('}').toString();
        }

        @Override
        public String toString() {
            return strategy + ":"
                    + factors.entrySet().stream()
                            .map(e -> "SimpleStrategy".equals(strategy)
                                    ? e.getValue().toString()
                                    : e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(","));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Replication r && r.strategy.equals(strategy) && r.factors.equals(factors);
        }

        @Override
        public int hashCode() {
            return Objects.hash(strategy, factors);
        }

        private static int factor(String what, int rf) {
            if (rf < 1 || rf > 99) {
                throw new IllegalArgumentException(
                        "replication factor of " + what + " must be between 1 and 99, was " + rf);
            }
            return rf;
        }
    }
}
