package io.streamingpipeline.spark.candles;

import io.streamingpipeline.spark.BatchTally;
import io.streamingpipeline.spark.LocalSpark;
import io.streamingpipeline.spark.TradeParsing;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.id;
import static io.streamingpipeline.spark.TestTrades.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CandlesTest {

    private static final UUID QUERY = UUID.fromString("00000000-0000-0000-0000-0000000000a1");

    private static List<Candle> candlesOf(String... trades) {
        Dataset<Row> kafka = LocalSpark.kafkaRows(T0 + 3_600_000, trades).repartition(3);
        BatchTally.Accumulator tally = BatchTally.register(LocalSpark.session().sparkContext());
        TradeParsing.trades(kafka, Duration.ofHours(1), tally).collectAsList();
        Collection<Candle> candles = tally.value().candles();
        return candles.stream().sorted(Comparator.comparing(Candle::symbol).thenComparingLong(Candle::minuteStart)).toList();
    }

    @Test
    void openAndCloseFollowTradeTimeNotArrivalOrder() {
        // arrival order: the middle trade first, the last trade second, the first trade last
        List<Candle> candles = candlesOf(
                trade(id(2), "A", 101, 1, T0 + 30_000),
                trade(id(3), "A", 102, 1, T0 + 59_999),
                trade(id(1), "A", 100, 1, T0));
        assertThat(candles).hasSize(1);
        Candle c = candles.get(0);
        assertThat(c.open()).isEqualTo(100.0);
        assertThat(c.openTime()).isEqualTo(T0);
        assertThat(c.openId()).isEqualTo(id(1));
        assertThat(c.close()).isEqualTo(102.0);
        assertThat(c.closeId()).isEqualTo(id(3));
        assertThat(c.minuteStart()).isEqualTo(T0);
        assertThat(c.key().day()).isEqualTo("2025-11-24");
    }

    @Test
    void tradesAtTheSameMillisecondAreOrderedById() {
        Candle c = candlesOf(
                trade(id(5), "A", 105, 1, T0 + 1_000),
                trade(id(9), "A", 109, 1, T0 + 1_000),
                trade(id(7), "A", 107, 1, T0 + 1_000)).get(0);
        assertThat(c.open()).isEqualTo(105.0);  // smallest id
        assertThat(c.close()).isEqualTo(109.0); // largest id
    }

    @Test
    void highLowVolumeCountAndVwap() {
        Candle c = candlesOf(
                trade(id(1), "A", 10, 1, T0 + 1_000),
                trade(id(2), "A", 30, 3, T0 + 2_000),
                trade(id(3), "A", 5, 0, T0 + 3_000),
                trade(id(4), "A", 20, 0.5, T0 + 4_000)).get(0);
        assertThat(c.high()).isEqualTo(30.0);
        assertThat(c.low()).isEqualTo(5.0);
        assertThat(c.volume()).isEqualTo(4.5);
        assertThat(c.tradeCount()).isEqualTo(4L);
        assertThat(c.vwap()).isCloseTo((10 * 1 + 30 * 3 + 20 * 0.5) / 4.5, within(1e-9));
    }

    @Test
    void vwapIsNullWhenTheMinuteHadNoVolume() {
        Candle c = candlesOf(trade(id(1), "A", 10, 0, T0), trade(id(2), "A", 12, 0, T0 + 1)).get(0);
        assertThat(c.vwap()).isNull();
        assertThat(c.tradeCount()).isEqualTo(2L);
    }

    @Test
    void oneCandlePerSymbolAndUtcMinuteStartingOnTheMinute() {
        List<Candle> candles = candlesOf(
                trade(id(1), "A", 1, 1, T0 + 59_999),
                trade(id(2), "A", 2, 1, T0 + 60_000),
                trade(id(3), "B", 3, 1, T0 + 60_001),
                "not a trade");
        assertThat(candles).extracting(c -> c.symbol() + "@" + (c.minuteStart() - T0))
                .containsExactly("A@0", "A@60000", "B@60000");
    }

    @Test
    void mergingInAnyOrderGivesTheCandleOfAllTheTrades() {
        List<Candle> trades = List.of(
                Candle.ofTrade("A", T0 + 5, id(4), 12, 2),
                Candle.ofTrade("A", T0 + 1, id(9), 10, 1),
                Candle.ofTrade("A", T0 + 1, id(2), 11, 1),
                Candle.ofTrade("A", T0 + 59_999, id(1), 9, 0.5),
                Candle.ofTrade("A", T0 + 59_999, id(3), 13, 0.5));
        Candle forward = trades.stream().reduce(Candle::merge).orElseThrow();
        List<Candle> reversed = new ArrayList<>(trades);
        java.util.Collections.reverse(reversed);
        Candle backward = reversed.stream().reduce(Candle::merge).orElseThrow();

        for (Candle c : List.of(forward, backward)) {
            assertThat(c.open()).isEqualTo(11);  // T0 + 1, smaller id
            assertThat(c.close()).isEqualTo(13); // T0 + 59,999, larger id
            assertThat(c.high()).isEqualTo(13);
            assertThat(c.low()).isEqualTo(9);
            assertThat(c.volume()).isEqualTo(5);
            assertThat(c.tradeCount()).isEqualTo(5);
            assertThat(c.vwap()).isCloseTo((24 + 10 + 11 + 4.5 + 6.5) / 5, within(1e-12));
        }
        assertThatThrownBy(() -> forward.merge(Candle.ofTrade("A", T0 + 60_000, id(5), 1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachBatchIsMergedIntoTheStoredCandleAndAReplayedBatchIsNot() {
        InMemoryCandleStore store = new InMemoryCandleStore();
        List<Candle> batch1 = List.of(Candle.ofTrade("A", T0 + 10, id(1), 100, 1), Candle.ofTrade("B", T0, id(2), 7, 1));
        List<Candle> batch2 = List.of(Candle.ofTrade("A", T0 + 5, id(3), 90, 3));

        assertThat(Candles.mergeInto(store, batch1, QUERY, 1)).hasSize(2);
        assertThat(Candles.mergeInto(store, batch2, QUERY, 2)).hasSize(1);
        // the driver failed before batch 2 was committed: Spark replays it with the same records
        assertThat(Candles.mergeInto(store, batch2, QUERY, 2)).isEmpty();
        // so is an earlier batch (a replay of 1 after 2 never happens, but it must not count twice either)
        assertThat(Candles.mergeInto(store, batch1, QUERY, 1)).isEmpty();

        Candle a = store.candles().get(0);
        assertThat(a.tradeCount()).isEqualTo(2);
        assertThat(a.volume()).isEqualTo(4);
        assertThat(a.open()).isEqualTo(90);   // the later batch held the earlier trade
        assertThat(a.close()).isEqualTo(100);
        assertThat(a.vwap()).isCloseTo((100 + 270) / 4.0, within(1e-12));
        assertThat(store.candles().get(1).tradeCount()).isEqualTo(1);

        // a new checkpoint is a new query: its batch 1 is new data
        UUID newQuery = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
        assertThat(Candles.mergeInto(store, List.of(Candle.ofTrade("A", T0 + 20, id(4), 95, 1)), newQuery, 1)).hasSize(1);
        assertThat(store.candles().get(0).tradeCount()).isEqualTo(3);
    }
}
