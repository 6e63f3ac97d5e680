package io.streamingpipeline.spark.batch;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The daily close of one symbol: its distinct trade ids of the day in Kafka, its trade rows in Cassandra, the sum of
 * {@code trade_count} of its 1-minute candles, and the minutes whose candle does not count the minute's rows.
 *
 * @param kafkaComplete false when Kafka no longer holds the whole day (retention): its count is then a lower bound
 * @param minuteProblems the first few minutes whose candle count differs from the minute's rows, in time order
 */
public record SymbolClose(
        LocalDate day,
        String symbol,
        long kafkaTrades,
        long cassandraTrades,
        long candleTrades,
        boolean kafkaComplete,
        Map<String, Long> deadLetters,
        List<String> minuteProblems,
        int otherMinuteProblems) {

    public static final String OK = "ok";
    public static final String MISMATCH = "mismatch";
    static final int MINUTES_SHOWN = 5;
    private static final DateTimeFormatter HH_MM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    public SymbolClose {
        Objects.requireNonNull(symbol, "symbol");
        deadLetters = Map.copyOf(deadLetters);
        minuteProblems = List.copyOf(minuteProblems);
    }

    /**
     * Compares the three counts of a symbol.
     *
     * @param rowsByMinute    trade rows in Cassandra per minute start (UNIX ms)
     * @param candlesByMinute {@code trade_count} of the stored candle per minute start
     */
    public static SymbolClose compare(
            LocalDate day,
            String symbol,
            long kafkaTrades,
            boolean kafkaComplete,
            Map<Long, Long> rowsByMinute,
            Map<Long, Long> candlesByMinute,
            Map<String, Long> deadLetters) {
        List<String> problems = new ArrayList<>();
        int more = 0;
        TreeSet<Long> minutes = new TreeSet<>(rowsByMinute.keySet());
        minutes.addAll(candlesByMinute.keySet());
        for (long minute : minutes) {
            Long rows = rowsByMinute.get(minute);
            Long candle = candlesByMinute.get(minute);
            String problem = null;
            String at = HH_MM.format(Instant.ofEpochMilli(minute));
            if (candle == null) {
                problem = at + " has no candle (" + rows + " rows)";
            } else if (rows == null) {
                problem = at + " has a candle of " + candle + " trades but no rows";
            } else if (!candle.equals(rows)) {
                problem = at + " candle counts " + candle + " trades, " + rows + " rows";
            }
            if (problem != null) {
                if (problems.size() < MINUTES_SHOWN) {
                    problems.add(problem);
                } else {
                    more++;
                }
            }
        }
        long cassandra =
                rowsByMinute.values().stream().mapToLong(Long::longValue).sum();
        long candles =
                candlesByMinute.values().stream().mapToLong(Long::longValue).sum();
        return new SymbolClose(
                day,
                symbol,
                kafkaTrades,
                cassandra,
                candles,
                kafkaComplete,
                new TreeMap<>(deadLetters),
                problems,
                more);
    }

    public boolean ok() {
        boolean kafkaAgrees = kafkaComplete ? kafkaTrades == cassandraTrades : kafkaTrades <= cassandraTrades;
        return kafkaAgrees && cassandraTrades == candleTrades && minuteProblems.isEmpty();
    }

    public String status() {
        return ok() ? OK : MISMATCH;
    }

    /** Null when everything agrees; else what differs. */
    public String detail() {
        if (ok()) {
            return kafkaComplete ? null : "Kafka no longer holds the whole day (retention): its count is a lower bound";
        }
        List<String> parts = new ArrayList<>();
        if (kafkaComplete ? kafkaTrades != cassandraTrades : kafkaTrades > cassandraTrades) {
            long diff = cassandraTrades - kafkaTrades;
            parts.add(
                    diff < 0
                            ? (-diff) + " trades of Kafka missing in Cassandra"
                            : diff + " rows in Cassandra not in Kafka");
        }
        if (cassandraTrades != candleTrades) {
            parts.add("candles count " + candleTrades + " trades for " + cassandraTrades + " rows");
        }
        if (!minuteProblems.isEmpty()) {
            parts.add("minutes: " + String.join("; ", minuteProblems)
                    + (otherMinuteProblems > 0 ? "; and " + otherMinuteProblems + " more" : ""));
        }
        return String.join(", ", parts);
    }

    /** One line for the console: the counts, then what differs. */
    public String line() {
        return (ok() ? "OK       " : "MISMATCH ") + day + " " + symbol + ": Kafka " + kafkaTrades
                + (kafkaComplete ? "" : "+") + " trades, Cassandra " + cassandraTrades + " rows, candles "
                + candleTrades + " trades" + (deadLetters.isEmpty() ? "" : ", dead letters " + deadLetters)
                + (ok() ? "" : " -- " + detail());
    }
}
