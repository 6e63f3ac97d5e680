package io.streamingpipeline.spark.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.get_json_object;
import static org.apache.spark.sql.functions.lit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.spark.JobSettings;
import io.streamingpipeline.spark.TradeParsing;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;

/**
 * What the pipeline holds of one UTC day: its trades in Kafka (checked with the streaming job's rules), its rows in
 * Cassandra (trades and 1-minute candles, read one (symbol, day) partition at a time), its dead letters.
 */
public final class DayData {

    /** Dead letters without a key (a frame the ingestor could not read has no symbol). */
    public static final String NO_SYMBOL = "(no symbol)";

    private final SparkSession spark;
    private final JobSettings settings;
    private final LocalDate day;
    private final Duration kafkaMargin;

    public DayData(SparkSession spark, JobSettings settings, LocalDate day, Duration kafkaMargin) {
        this.spark = spark;
        this.settings = settings;
        this.day = day;
        this.kafkaMargin = kafkaMargin;
    }

    public LocalDate day() {
        return day;
    }

    public String dayText() {
        return day.toString();
    }

    public Instant dayStart() {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant dayEnd() {
        return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The trades topic's records of the day's time, widened by the margin on both sides (late and early trades). */
    public KafkaTimeRange tradesRange() {
        return KafkaTimeRange.find(
                settings.kafkaClientOptions(),
                settings.topic(),
                dayStart().minus(kafkaMargin),
                dayEnd().plus(kafkaMargin));
    }

    /** The dead-letter topic's records written during the day. */
    public KafkaTimeRange deadLetterRange() {
        return KafkaTimeRange.find(settings.kafkaClientOptions(), settings.deadLetterTopic(), dayStart(), dayEnd());
    }

    /** The valid trades of the day in {@code range} (trade time in the day), as rows of the trade table's columns. */
    public Dataset<org.apache.spark.sql.Row> kafkaTrades(KafkaTimeRange range) {
        Dataset<org.apache.spark.sql.Row> classified =
                TradeParsing.classify(kafkaRecords(range), settings.maxFutureSkew());
        return classified
                .filter(col(TradeParsing.REJECT_REASON)
                        .isNull()
                        .and(col(TradeColumns.DAY).equalTo(dayText())))
                .select(TradeColumns.ALL.stream().map(c -> col(c)).toArray(Column[]::new));
    }

    /** Dead letters of {@code range} by symbol (the record key) and reason. */
    public Map<String, Map<String, Long>> deadLetters(KafkaTimeRange range) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        if (range.records() == 0) {
            return counts;
        }
        for (org.apache.spark.sql.Row r : kafkaRecords(range)
                .select(
                        col("key").cast("string").as("symbol"),
                        get_json_object(col("value").cast("string"), "$." + TradeContract.DeadLetterFields.REASON)
                                .as("reason"))
                .groupBy("symbol", "reason")
                .count()
                .collectAsList()) {
            String symbol = r.isNullAt(0) || r.getString(0).isBlank() ? NO_SYMBOL : r.getString(0);
            String reason = r.isNullAt(1) ? "unknown" : r.getString(1);
            counts.computeIfAbsent(symbol, s -> new TreeMap<>()).merge(reason, r.getLong(2), Long::sum);
        }
        return counts;
    }

    private Dataset<org.apache.spark.sql.Row> kafkaRecords(KafkaTimeRange range) {
        return spark.read()
                .format("kafka")
                .options(settings.kafkaClientOptions())
                .option("subscribe", range.topic())
                .option("startingOffsets", range.startingOffsetsJson())
                .option("endingOffsets", range.endingOffsetsJson())
                .load();
    }

    /** Symbols with a partition of the day in the trade table or the candle table. */
    public TreeSet<String> storedSymbols() {
        TreeSet<String> symbols = new TreeSet<>();
        try (CqlSession session =
                CassandraConnector.apply(spark.sparkContext().getConf()).openSession()) {
            for (String table : new String[] {CassandraSchema.TRADES_TABLE, CassandraSchema.CANDLES_TABLE}) {
                // reads partition keys only; a day job runs once a day over a month of partitions
                for (Row r : session.execute(SimpleStatement.newInstance("SELECT DISTINCT " + TradeColumns.SYMBOL + ", "
                                + TradeColumns.DAY + " FROM " + settings.keyspace() + "." + table)
                        .setTimeout(Duration.ofMinutes(2)))) {
                    if (dayText().equals(r.getString(1))) {
                        symbols.add(r.getString(0));
                    }
                }
            }
        }
        return symbols;
    }

    /** Rows of {@code table} in the day's partition of each symbol. */
    public Dataset<org.apache.spark.sql.Row> stored(String table, Collection<String> symbols) {
        Dataset<org.apache.spark.sql.Row> all = spark.read()
                .format("org.apache.spark.sql.cassandra")
                .option("keyspace", settings.keyspace())
                .option("table", table)
                .load();
        if (symbols.isEmpty()) {
            return all.filter(lit(false));
        }
        Dataset<org.apache.spark.sql.Row> union = null;
        for (String symbol : symbols) {
            // symbol and day both given: the connector reads exactly that partition
            Dataset<org.apache.spark.sql.Row> partition = all.filter(col(TradeColumns.SYMBOL)
                    .equalTo(symbol)
                    .and(col(TradeColumns.DAY).equalTo(dayText())));
            union = union == null ? partition : union.union(partition);
        }
        return union;
    }
}
