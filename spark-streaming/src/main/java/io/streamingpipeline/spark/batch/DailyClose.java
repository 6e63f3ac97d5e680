package io.streamingpipeline.spark.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily close of day D: per symbol, the distinct ids of D's valid trades in Kafka, D's trade rows in Cassandra
 * and the {@code trade_count} of D's 1-minute candles, minute by minute; D's dead letters by reason.
 */
public final class DailyClose {

    private static final Logger LOG = LoggerFactory.getLogger(DailyClose.class);

    private DailyClose() {}

    public static List<SymbolClose> run(DayData data) {
        KafkaTimeRange range = data.tradesRange();
        LOG.info(
                "Daily close of {}: trades topic offsets {} .. {} ({} records{})",
                data.day(),
                range.startingOffsetsJson(),
                range.endingOffsetsJson(),
                range.records(),
                range.complete() ? "" : ", the start of the range is gone from Kafka");
        Map<String, Long> kafka = new HashMap<>();
        for (Row r : data.kafkaTrades(range)
                .groupBy(TradeColumns.SYMBOL)
                .agg(countDistinct(TradeColumns.ID))
                .collectAsList()) {
            kafka.put(r.getString(0), r.getLong(1));
        }
        Map<String, Map<String, Long>> deadLetters = data.deadLetters(data.deadLetterRange());

        TreeSet<String> symbols = data.storedSymbols();
        symbols.addAll(kafka.keySet());
        Map<String, Map<Long, Long>> rows = perMinute(data.stored(CassandraSchema.TRADES_TABLE, symbols)
                .select(
                        col(TradeColumns.SYMBOL),
                        expr(TradeColumns.TIMESTAMP_UNIX + " - pmod(" + TradeColumns.TIMESTAMP_UNIX + ", 60000)")
                                .as("minute"))
                .groupBy(TradeColumns.SYMBOL, "minute")
                .count());
        Map<String, Map<Long, Long>> candles = perMinute(data.stored(CassandraSchema.CANDLES_TABLE, symbols)
                .select(
                        col(CandleColumns.SYMBOL),
                        expr("unix_millis(" + CandleColumns.MINUTE_START + ")"),
                        col(CandleColumns.TRADE_COUNT)));

        symbols.addAll(deadLetters.keySet());
        List<SymbolClose> results = new ArrayList<>();
        for (String symbol : symbols) {
            results.add(SymbolClose.compare(
                    data.day(),
                    symbol,
                    kafka.getOrDefault(symbol, 0L),
                    range.complete(),
                    rows.getOrDefault(symbol, Map.of()),
                    candles.getOrDefault(symbol, Map.of()),
                    deadLetters.getOrDefault(symbol, Map.of())));
        }
        return results;
    }

    /** (symbol, minute, count) rows into symbol → minute → count; a day has at most 1,440 per symbol. */
    private static Map<String, Map<Long, Long>> perMinute(Dataset<Row> symbolMinuteCount) {
        Map<String, Map<Long, Long>> bySymbol = new HashMap<>();
        for (Row r : symbolMinuteCount.collectAsList()) {
            bySymbol.computeIfAbsent(r.getString(0), s -> new HashMap<>()).merge(r.getLong(1), r.getLong(2), Long::sum);
        }
        return bySymbol;
    }
}
