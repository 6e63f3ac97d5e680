package io.streamingpipeline.contract;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * A row of {@link CassandraSchema#CANDLES_TABLE} as readers of candles see it: its key and the candle's values, the
 * {@link CandleField}s of {@link CandleField.Part#KEY} and {@link CandleField.Part#CANDLE}. Readers map a row with
 * {@link #of}, e.g. {@code CandleRow.of(f -> row.getObject(f.cqlName()))} with the Cassandra driver, or, when they
 * select {@link CassandraSchema.CandleColumns#CANDLE} in its order, with {@link #ofSelected}.
 *
 * @param day        UTC date of {@code minuteStart}, {@code yyyy-MM-dd}
 * @param tradeCount trades in the minute
 * @param vwap       volume-weighted average price; null while the minute's volume is 0
 */
public record CandleRow(
        String symbol,
        String day,
        Instant minuteStart,
        double open,
        double high,
        double low,
        double close,
        double volume,
        long tradeCount,
        Double vwap) {

    /** The fields of {@link CassandraSchema.CandleColumns#CANDLE}, in its order. */
    private static final List<CandleField> SELECTED = CandleField.of(CandleField.Part.KEY, CandleField.Part.CANDLE);

    /** By {@link CandleField#ordinal()}: the position of the field in {@link #SELECTED}, -1 when not in it. */
    private static final int[] POSITION = new int[CandleField.values().length];

    static {
        Arrays.fill(POSITION, -1);
        for (int i = 0; i < SELECTED.size(); i++) {
            POSITION[SELECTED.get(i).ordinal()] = i;
        }
    }

    /**
     * A row of a query that selects {@link CassandraSchema.CandleColumns#CANDLE} in its order, each value read by its
     * position, e.g. {@code CandleRow.ofSelected(row::getObject)} with the Cassandra driver, which resolves a column
     * name on every call.
     *
     * @throws IllegalArgumentException as {@link #of}
     */
    public static CandleRow ofSelected(IntFunction<Object> valueAt) {
        return of(field -> valueAt.apply(POSITION[field.ordinal()]));
    }

    /**
     * A row of the value of each column (as its type's {@link CandleField.Type#java() Java class}).
     *
     * @throws IllegalArgumentException naming the column, when a value is null but the column is not nullable, or is
     *                                  of another class
     */
    public static CandleRow of(Function<CandleField, Object> values) {
        return new CandleRow(
                get(values, CandleField.SYMBOL),
                get(values, CandleField.DAY),
                get(values, CandleField.MINUTE_START),
                get(values, CandleField.OPEN),
                get(values, CandleField.HIGH),
                get(values, CandleField.LOW),
                get(values, CandleField.CLOSE),
                get(values, CandleField.VOLUME),
                get(values, CandleField.TRADE_COUNT),
                get(values, CandleField.VWAP));
    }

    /**
     * The value of a column of the key or the candle, as its type's Java class (boxed).
     *
     * @throws IllegalArgumentException for a column of {@link CandleField.Part#MERGE}, which the row does not hold
     */
    public Object value(CandleField field) {
        return switch (field) {
            case SYMBOL -> symbol;
            case DAY -> day;
            case MINUTE_START -> minuteStart;
            case OPEN -> open;
            case HIGH -> high;
            case LOW -> low;
            case CLOSE -> close;
            case VOLUME -> volume;
            case TRADE_COUNT -> tradeCount;
            case VWAP -> vwap;
            default -> throw new IllegalArgumentException("a candle row holds no " + field.cqlName());
        };
    }

    private static <T> T get(Function<CandleField, Object> values, CandleField field) {
        return ColumnValue.checked(
                values.apply(field),
                "candle column",
                field.cqlName(),
                field.nullable(),
                field.type().java());
    }
}
