package io.streamingpipeline.query.domain;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import io.streamingpipeline.contract.CassandraSchema.RollupColumns;
import java.time.Instant;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The candle tables the service reads, as the {@code interval} parameter names them, with their partition layout from
 * the contract: 1-minute candles in {@code (symbol, day)} partitions, hourly in {@code (symbol, month)}, daily in
 * {@code (symbol, year)}. A range is read one partition at a time, each bounded by the range on its clustering column.
 */
public enum CandleInterval {
    ONE_MINUTE("1m", CassandraSchema.CANDLES_TABLE, CandleColumns.DAY, CandleColumns.MINUTE_START),
    ONE_HOUR("1h", CassandraSchema.CANDLES_1H_TABLE, RollupColumns.MONTH, RollupColumns.HOUR_START),
    ONE_DAY("1d", CassandraSchema.CANDLES_1D_TABLE, RollupColumns.YEAR, RollupColumns.DAY_START);

    private final String label;
    private final String table;
    private final String bucketColumn;
    private final String startColumn;

    CandleInterval(String label, String table, String bucketColumn, String startColumn) {
        this.label = label;
        this.table = table;
        this.bucketColumn = bucketColumn;
        this.startColumn = startColumn;
    }

    /** The {@code interval} parameter: absent = 1m, else one of 1m, 1h, 1d. */
    public static CandleInterval parse(String text) {
        if (text == null || text.isBlank()) {
            return ONE_MINUTE;
        }
        String value = text.strip().toLowerCase(Locale.ROOT);
        for (CandleInterval interval : values()) {
            if (interval.label.equals(value)) {
                return interval;
            }
        }
        throw new InvalidRequestException(
                "interval",
                "interval '" + TimeRange.shorten(text.strip()).replaceAll("\\p{Cntrl}", "?") + "' is not one of "
                        + labels() + " (1-minute, hourly or daily candles)");
    }

    /** {@code 1m, 1h, 1d}. */
    public static String labels() {
        return Arrays.stream(values()).map(CandleInterval::label).collect(Collectors.joining(", "));
    }

    /** As the {@code interval} parameter and the answer's {@code interval} field name it. */
    public String label() {
        return label;
    }

    /** The contract's table of these candles. */
    public String table() {
        return table;
    }

    /** The partition key's time bucket column ({@code day}, {@code month}, {@code year}). */
    public String bucketColumn() {
        return bucketColumn;
    }

    /** The clustering column: the start of the candle's minute, hour or day. */
    public String startColumn() {
        return startColumn;
    }

    /**
     * The partition buckets {@code range} touches, oldest first: UTC days ({@code yyyy-MM-dd}), months
     * ({@code yyyy-MM}) or years ({@code yyyy}), as the tables' bucket column holds them.
     */
    public List<String> bucketsOldestFirst(TimeRange range) {
        return switch (this) {
            case ONE_MINUTE -> range.daysOldestFirst();
            case ONE_HOUR -> {
                List<String> months = new ArrayList<>();
                YearMonth last = YearMonth.from(utc(range.to() - 1));
                for (YearMonth m = YearMonth.from(utc(range.from())); !m.isAfter(last); m = m.plusMonths(1)) {
                    months.add(m.toString());
                }
                yield months;
            }
            case ONE_DAY -> {
                List<String> years = new ArrayList<>();
                int last = Year.from(utc(range.to() - 1)).getValue();
                for (int y = Year.from(utc(range.from())).getValue(); y <= last; y++) {
                    years.add(Year.of(y).toString());
                }
                yield years;
            }
        };
    }

    private static java.time.ZonedDateTime utc(long unixMillis) {
        return Instant.ofEpochMilli(unixMillis).atZone(ZoneOffset.UTC);
    }
}
