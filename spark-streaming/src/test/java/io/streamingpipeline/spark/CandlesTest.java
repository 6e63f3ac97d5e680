package io.streamingpipeline.spark;

import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;

import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.id;
import static io.streamingpipeline.spark.TestTrades.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CandlesTest {

    private static List<Row> candlesOf(String... trades) {
        Dataset<Row> valid = TradeParsing.parse(LocalSpark.kafkaRows(T0 + 3_600_000, trades), Duration.ofHours(1)).valid();
        return Candles.oneMinute(valid).orderBy(CandleColumns.SYMBOL, CandleColumns.MINUTE_START).collectAsList();
    }

    @Test
    void theColumnsAreTheCandleTablesInOrder() {
        Dataset<Row> valid = TradeParsing.parse(LocalSpark.kafkaRows(T0, trade(id(1), "A", 1, 1, T0)), Duration.ofHours(1)).valid();
        assertThat(Candles.oneMinute(valid).columns()).containsExactlyElementsOf(CandleColumns.ALL);
    }

    @Test
    void openAndCloseFollowTradeTimeNotArrivalOrder() {
        // arrival order: the middle trade first, the last trade second, the first trade last
        List<Row> candles = candlesOf(
                trade(id(2), "A", 101, 1, T0 + 30_000),
                trade(id(3), "A", 102, 1, T0 + 59_999),
                trade(id(1), "A", 100, 1, T0));
        assertThat(candles).hasSize(1);
        Row c = candles.get(0);
        assertThat(c.<Double>getAs(CandleColumns.OPEN)).isEqualTo(100.0);
        assertThat(c.<Double>getAs(CandleColumns.CLOSE)).isEqualTo(102.0);
        assertThat(c.<Timestamp>getAs(CandleColumns.MINUTE_START).getTime()).isEqualTo(T0);
        assertThat(c.<String>getAs(CandleColumns.DAY)).isEqualTo("2025-11-24");
    }

    @Test
    void tradesAtTheSameMillisecondAreOrderedById() {
        List<Row> candles = candlesOf(
                trade(id(5), "A", 105, 1, T0 + 1_000),
                trade(id(9), "A", 109, 1, T0 + 1_000),
                trade(id(7), "A", 107, 1, T0 + 1_000));
        Row c = candles.get(0);
        assertThat(c.<Double>getAs(CandleColumns.OPEN)).isEqualTo(105.0);  // smallest id
        assertThat(c.<Double>getAs(CandleColumns.CLOSE)).isEqualTo(109.0); // largest id
    }

    @Test
    void highLowVolumeCountAndVwap() {
        List<Row> candles = candlesOf(
                trade(id(1), "A", 10, 1, T0 + 1_000),
                trade(id(2), "A", 30, 3, T0 + 2_000),
                trade(id(3), "A", 5, 0, T0 + 3_000),
                trade(id(4), "A", 20, 0.5, T0 + 4_000));
        Row c = candles.get(0);
        assertThat(c.<Double>getAs(CandleColumns.HIGH)).isEqualTo(30.0);
        assertThat(c.<Double>getAs(CandleColumns.LOW)).isEqualTo(5.0);
        assertThat(c.<Double>getAs(CandleColumns.VOLUME)).isEqualTo(4.5);
        assertThat(c.<Long>getAs(CandleColumns.TRADE_COUNT)).isEqualTo(4L);
        assertThat(c.<Double>getAs(CandleColumns.VWAP)).isCloseTo((10 * 1 + 30 * 3 + 20 * 0.5) / 4.5, within(1e-9));
    }

    @Test
    void vwapIsNullWhenTheMinuteHadNoVolume() {
        Row c = candlesOf(trade(id(1), "A", 10, 0, T0), trade(id(2), "A", 12, 0, T0 + 1)).get(0);
        assertThat(c.isNullAt(c.fieldIndex(CandleColumns.VWAP))).isTrue();
        assertThat(c.<Long>getAs(CandleColumns.TRADE_COUNT)).isEqualTo(2L);
    }

    @Test
    void oneCandlePerSymbolAndUtcMinuteStartingOnTheMinute() {
        List<Row> candles = candlesOf(
                trade(id(1), "A", 1, 1, T0 + 59_999),
                trade(id(2), "A", 2, 1, T0 + 60_000),
                trade(id(3), "B", 3, 1, T0 + 60_001));
        assertThat(candles).extracting(r -> r.<String>getAs(CandleColumns.SYMBOL) + "@"
                        + (r.<Timestamp>getAs(CandleColumns.MINUTE_START).getTime() - T0))
                .containsExactly("A@0", "A@60000", "B@60000");
    }
}
