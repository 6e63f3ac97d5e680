package io.streamingpipeline.spark.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.spark.BatchSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replay of day D: D's valid trades read again from Kafka and upserted (the ingestor assigns each id once, so a
 * trade already stored is rewritten with the same values), then D's 1-minute candles recomputed from the stored trade
 * rows ({@link DayCandles}) and written whole; a stored candle of a minute without trade rows is deleted.
 *
 * <p>Run it for a day the streaming job no longer writes (a past day): a micro-batch that merges trades of D
 * between the recomputation's read and its write would be overwritten (the next daily close shows it).
 */
public final class DayReplay {

    private static final Logger LOG = LoggerFactory.getLogger(DayReplay.class);

    /** What a replay did. */
    public record Result(long kafkaTrades, long tradesUpserted, long candlesWritten, long candlesDeleted) {}

    private DayReplay() {}

    public static Result run(SparkSession spark, DayData data, String keyspace) {
        KafkaTimeRange range = data.tradesRange();
        LOG.info(
                "Replay of {}: trades topic offsets {} .. {} ({} records)",
                data.day(),
                range.startingOffsetsJson(),
                range.endingOffsetsJson(),
                range.records());
        Dataset<Row> trades = data.kafkaTrades(range).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long kafkaTrades = trades.count();
            BatchSink.cassandraTable(keyspace, CassandraSchema.TRADES_TABLE).write(trades);
            TreeSet<String> symbols = data.storedSymbols();
            trades.select(TradeColumns.SYMBOL).distinct().collectAsList().forEach(r -> symbols.add(r.getString(0)));

            UUID recomputation = UUID.nameUUIDFromBytes(("replay " + data.day()).getBytes(StandardCharsets.UTF_8));
            Dataset<Row> candles = DayCandles.fromTrades(
                            data.stored(CassandraSchema.TRADES_TABLE, symbols), recomputation)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                long written = candles.count();
                candles.write()
                        .format("org.apache.spark.sql.cassandra")
                        .option("keyspace", keyspace)
                        .option("table", CassandraSchema.CANDLES_TABLE)
                        // every column written as computed: a VWAP that became null must not keep its old value
                        .option("spark.cassandra.output.ignoreNulls", "false")
                        .mode(SaveMode.Append)
                        .save();
                List<Row> stale = data.stored(CassandraSchema.CANDLES_TABLE, symbols)
                        .select(col(CandleColumns.SYMBOL), expr("unix_millis(" + CandleColumns.MINUTE_START + ")"))
                        .except(candles.select(
                                col(CandleColumns.SYMBOL), expr("unix_millis(" + CandleColumns.MINUTE_START + ")")))
                        .collectAsList();
                deleteCandles(spark, keyspace, data.dayText(), stale);
                Result result = new Result(kafkaTrades, kafkaTrades, written, stale.size());
                LOG.info("Replay of {}: {}", data.day(), result);
                return result;
            } finally {
                candles.unpersist();
            }
        } finally {
            trades.unpersist();
        }
    }

    private static void deleteCandles(SparkSession spark, String keyspace, String day, List<Row> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try (CqlSession session =
                CassandraConnector.apply(spark.sparkContext().getConf()).openSession()) {
            PreparedStatement delete = session.prepare("DELETE FROM " + keyspace + "." + CassandraSchema.CANDLES_TABLE
                    + " WHERE " + CandleColumns.SYMBOL + " = ? AND " + CandleColumns.DAY + " = ? AND "
                    + CandleColumns.MINUTE_START + " = ?");
            for (Row key : keys) {
                session.execute(delete.bind(key.getString(0), day, Instant.ofEpochMilli(key.getLong(1))));
            }
        }
    }
}
