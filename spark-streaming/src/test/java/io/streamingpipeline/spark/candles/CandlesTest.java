package io.streamingpipeline.spark.candles;

import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.id;
import static io.streamingpipeline.spark.TestTrades.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamingpipeline.spark.BatchTally;
import io.streamingpipeline.spark.LocalSpark;
import io.streamingpipeline.spark.TradeParsing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class CandlesTest {

    private static final SourceTopic TOPIC = SourceTopic.named("crypto_trades");

    private static final UUID QUERY = UUID.fromString("00000000-0000-0000-0000-0000000000a1");

    private static List<Candle> candlesOf(String... trades) {
        Dataset<Row> kafka = LocalSpark.kafkaRows(T0 + 3_600_000, trades).repartition(3);
        BatchTally.Accumulator tally = BatchTally.register(LocalSpark.session().sparkContext());
        TradeParsing.trades(kafka, Duration.ofHours(1), tally).collectAsList();
        Collection<SourceCandle> candles = tally.value().candles();
        return candles.stream()
                .map(SourceCandle::candle)
                .sorted(Comparator.comparing(Candle::symbol).thenComparingLong(Candle::minuteStart))
                .toList();
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
                        trade(id(7), "A", 107, 1, T0 + 1_000))
                .get(0);
        assertThat(c.open()).isEqualTo(105.0); // smallest id
        assertThat(c.close()).isEqualTo(109.0); // largest id
    }

    @Test
    void highLowVolumeCountAndVwap() {
        Candle c = candlesOf(
                        trade(id(1), "A", 10, 1, T0 + 1_000),
                        trade(id(2), "A", 30, 3, T0 + 2_000),
                        trade(id(3), "A", 5, 0, T0 + 3_000),
                        trade(id(4), "A", 20, 0.5, T0 + 4_000))
                .get(0);
        assertThat(c.high()).isEqualTo(30.0);
        assertThat(c.low()).isEqualTo(5.0);
        assertThat(c.volume()).isEqualTo(4.5);
        assertThat(c.tradeCount()).isEqualTo(4L);
        assertThat(c.vwap()).isCloseTo((10 * 1 + 30 * 3 + 20 * 0.5) / 4.5, within(1e-9));
    }

    @Test
    void vwapIsNullWhenTheMinuteHadNoVolume() {
        Candle c = candlesOf(trade(id(1), "A", 10, 0, T0), trade(id(2), "A", 12, 0, T0 + 1))
                .get(0);
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
        assertThat(candles)
                .extracting(c -> c.symbol() + "@" + (c.minuteStart() - T0))
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
            assertThat(c.open()).isEqualTo(11); // T0 + 1, smaller id
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
    void eachBatchIsMergedOnceWhateverReplaysItOrReadsItAgain() {
        InMemoryCandleStore store = new InMemoryCandleStore();
        List<SourceCandle> batch1 =
                List.of(tradeAt(0, 10, "A", T0 + 10, id(1), 100, 1), tradeAt(0, 11, "B", T0, id(2), 7, 1));
        List<SourceCandle> batch2 = List.of(tradeAt(0, 12, "A", T0 + 5, id(3), 90, 3));

        assertThat(merge(store, batch1, QUERY, 1)).hasSize(2);
        assertThat(merge(store, batch2, QUERY, 2)).hasSize(1);
        // the driver failed before batch 2 was committed: Spark replays it with the same records
        assertThat(merge(store, batch2, QUERY, 2)).isEmpty();
        // so is an earlier batch
        assertThat(merge(store, batch1, QUERY, 1)).isEmpty();
        // a new checkpoint (a new query id) reading the same records again: nothing new either
        UUID newQuery = UUID.fromString("00000000-0000-0000-0000-0000000000b2");
        assertThat(merge(store, List.of(batch1.get(0).merge(batch2.get(0)), batch1.get(1)), newQuery, 0))
                .isEmpty();

        Candle a = store.candles().get(0);
        assertThat(a.tradeCount()).isEqualTo(2);
        assertThat(a.volume()).isEqualTo(4);
        assertThat(a.open()).isEqualTo(90); // the later batch held the earlier trade
        assertThat(a.close()).isEqualTo(100);
        assertThat(a.vwap()).isCloseTo((100 + 270) / 4.0, within(1e-12));
        assertThat(store.candles().get(1).tradeCount()).isEqualTo(1);
        assertThat(store.merged())
                .filteredOn(c -> c.candle().symbol().equals("A"))
                .singleElement()
                .satisfies(c -> assertThat(c.mergedOffsets()).containsExactly(Map.entry("crypto_trades-0", 12L)));

        // the new checkpoint's next record is new data
        assertThat(merge(store, List.of(tradeAt(0, 13, "A", T0 + 20, id(4), 95, 1)), newQuery, 1))
                .hasSize(1);
        assertThat(store.candles().get(0).tradeCount()).isEqualTo(3);
    }

    @Test
    void aBatchWithOtherBoundariesMergesOnlyTheTradesAboveTheStoredOffset() {
        List<SourceCandle> trades = List.of(
                tradeAt(0, 100, "A", T0 + 30, id(1), 10, 1),
                tradeAt(0, 101, "A", T0 + 10, id(2), 12, 2),
                tradeAt(0, 102, "A", T0 + 50, id(3), 11, 1),
                tradeAt(0, 103, "A", T0 + 5, id(4), 9, 1),
                tradeAt(0, 104, "A", T0 + 59_000, id(5), 14, 3));
        InMemoryCandleStore store = new InMemoryCandleStore();
        merge(store, List.of(reduce(trades.subList(0, 3))), QUERY, 5); // the old checkpoint's batch: offsets 100-102

        // a new checkpoint from earliest: one batch with offsets 100-104, the stored candle holds 100-102
        List<Map<SourceCandle.Key, Long>> asked = new ArrayList<>();
        List<MergedCandle> written = Candles.mergeInto(
                store,
                List.of(reduce(trades)),
                TOPIC,
                straddling -> {
                    asked.add(straddling);
                    return Map.of(
                            trades.get(0).key(),
                            reduce(trades.stream()
                                    .filter(t -> t.firstOffset() > straddling.get(t.key()))
                                    .toList()));
                },
                UUID.randomUUID(),
                0);

        assertThat(asked).containsExactly(Map.of(trades.get(0).key(), 102L));
        assertThat(written).hasSize(1);
        Candle all = reduce(trades).candle();
        assertThat(store.candles()).singleElement().satisfies(c -> {
            assertThat(c.tradeCount()).isEqualTo(5);
            assertThat(c.volume()).isEqualTo(8);
            assertThat(c.open()).isEqualTo(9);
            assertThat(c.close()).isEqualTo(14);
            assertThat(c.vwap()).isCloseTo(all.vwap(), within(1e-12));
        });
        assertThat(store.merged().get(0).mergedOffsets()).containsExactly(Map.entry("crypto_trades-0", 104L));
    }

    @Test
    void positionsArePerPartitionAndPerTopic() {
        InMemoryCandleStore store = new InMemoryCandleStore();
        merge(store, List.of(tradeAt(0, 50, "A", T0 + 1, id(1), 10, 1)), QUERY, 1);
        // partition 1 at a lower offset: new trades, not below partition 0's position
        merge(store, List.of(tradeAt(1, 7, "A", T0 + 2, id(2), 11, 1)), QUERY, 2);
        // another topic's partition 0 at a lower offset: new trades too
        Candles.mergeInto(
                store,
                List.of(tradeAt(0, 3, "A", T0 + 3, id(3), 12, 1)),
                SourceTopic.named("other_trades"),
                s -> Map.of(),
                QUERY,
                3);

        assertThat(store.candles())
                .singleElement()
                .satisfies(c -> assertThat(c.tradeCount()).isEqualTo(3));
        assertThat(store.merged().get(0).mergedOffsets())
                .containsOnly(
                        Map.entry("crypto_trades-0", 50L),
                        Map.entry("crypto_trades-1", 7L),
                        Map.entry("other_trades-0", 3L));
    }

    @Test
    void aTopicDeletedAndCreatedAgainIsANewSourceWhoseOffsetsStartAgain() {
        InMemoryCandleStore store = new InMemoryCandleStore();
        SourceTopic old = new SourceTopic("crypto_trades", "Lx8pWn2sQyCkz3r0Hq5BvA");
        SourceTopic created = new SourceTopic("crypto_trades", "9aTkPq1eR0mWc4dZyU7hJg");
        merge(store, old, List.of(tradeAt(0, 50, "A", T0 + 1, id(1), 10, 1)), QUERY, 1);
        // the same name, a new id, offsets from 0: below the old topic's position, yet new trades
        merge(store, created, List.of(tradeAt(0, 3, "A", T0 + 2, id(2), 11, 1)), QUERY, 2);
        merge(store, created, List.of(tradeAt(0, 3, "A", T0 + 2, id(2), 11, 1)), QUERY, 2); // replayed

        assertThat(store.candles())
                .singleElement()
                .satisfies(c -> assertThat(c.tradeCount()).isEqualTo(2));
        assertThat(store.merged().get(0).mergedOffsets())
                .containsOnly(
                        Map.entry("crypto_trades@Lx8pWn2sQyCkz3r0Hq5BvA-0", 50L),
                        Map.entry("crypto_trades@9aTkPq1eR0mWc4dZyU7hJg-0", 3L));
    }

    @Test
    void positionsKeptWithoutTheTopicsIdHoldForTheTopicUntilItsIdHasOne() {
        InMemoryCandleStore store = new InMemoryCandleStore();
        SourceTopic withId = new SourceTopic("crypto_trades", "Lx8pWn2sQyCkz3r0Hq5BvA");
        merge(store, List.of(tradeAt(0, 50, "A", T0 + 1, id(1), 10, 1)), QUERY, 1); // by a version without ids
        // the batch replayed by a version that knows the id: the trade is held already
        merge(store, withId, List.of(tradeAt(0, 50, "A", T0 + 1, id(1), 10, 1)), QUERY, 1);
        assertThat(store.candles())
                .singleElement()
                .satisfies(c -> assertThat(c.tradeCount()).isEqualTo(1));

        merge(store, withId, List.of(tradeAt(0, 51, "A", T0 + 2, id(2), 11, 1)), QUERY, 2);
        merge(store, withId, List.of(tradeAt(0, 51, "A", T0 + 2, id(2), 11, 1)), QUERY, 2); // replayed

        assertThat(store.candles())
                .singleElement()
                .satisfies(c -> assertThat(c.tradeCount()).isEqualTo(2));
        assertThat(store.merged().get(0).mergedOffsets())
                .containsOnly(
                        Map.entry("crypto_trades-0", 50L), Map.entry("crypto_trades@Lx8pWn2sQyCkz3r0Hq5BvA-0", 51L));
    }

    @Test
    void aCandleThatAnotherWriterMergedInBetweenIsReadAndMergedAgain() {
        InMemoryCandleStore store = new InMemoryCandleStore();
        merge(store, List.of(tradeAt(0, 1, "A", T0 + 1, id(1), 10, 1)), QUERY, 1);
        // a second driver merges batch 2 between this driver's read and write of batch 3 ...
        store.beforeNextWrite(() -> merge(store, List.of(tradeAt(0, 2, "A", T0 + 2, id(2), 11, 1)), QUERY, 2));
        List<MergedCandle> written = merge(store, List.of(tradeAt(0, 3, "A", T0 + 3, id(3), 12, 1)), QUERY, 3);
        // ... its write does not overwrite batch 2: the candle holds all three trades
        assertThat(written).hasSize(1);
        assertThat(store.candles()).singleElement().satisfies(c -> {
            assertThat(c.tradeCount()).isEqualTo(3);
            assertThat(c.close()).isEqualTo(12);
        });

        // the same batch merged by both drivers at once counts once
        SourceCandle batch4 = tradeAt(0, 4, "A", T0 + 4, id(4), 13, 1);
        store.beforeNextWrite(() -> merge(store, List.of(batch4), QUERY, 4));
        assertThat(merge(store, List.of(batch4), QUERY, 4)).isEmpty();
        assertThat(store.candles().get(0).tradeCount()).isEqualTo(4);
    }

    @Test
    void aCandleOfAnEarlierVersionWithoutPositionsIsCheckedByQueryAndBatch() {
        InMemoryCandleStore store = new InMemoryCandleStore();
        Candle old = Candle.ofTrade("A", T0 + 1, id(1), 10, 1);
        store.put(new MergedCandle(old, null, QUERY, 7));
        // batch 7 replayed after the upgrade: already in
        assertThat(merge(store, List.of(tradeAt(0, 1, "A", T0 + 1, id(1), 10, 1)), QUERY, 7))
                .isEmpty();
        // batch 8: merged, and from now on with positions
        assertThat(merge(store, List.of(tradeAt(0, 2, "A", T0 + 2, id(2), 11, 1)), QUERY, 8))
                .hasSize(1);
        assertThat(store.merged().get(0).mergedOffsets()).containsExactly(Map.entry("crypto_trades-0", 2L));
        assertThat(store.candles().get(0).tradeCount()).isEqualTo(2);
    }

    private static SourceCandle tradeAt(
            int partition, long offset, String symbol, long time, String id, double price, double volume) {
        return SourceCandle.ofTrade(Candle.ofTrade(symbol, time, id, price, volume), partition, offset);
    }

    private static SourceCandle reduce(List<SourceCandle> trades) {
        return trades.stream().reduce(SourceCandle::merge).orElseThrow();
    }

    private static List<MergedCandle> merge(CandleStore store, List<SourceCandle> batch, UUID query, long batchId) {
        return merge(store, TOPIC, batch, query, batchId);
    }

    private static List<MergedCandle> merge(
            CandleStore store, SourceTopic topic, List<SourceCandle> batch, UUID query, long batchId) {
        return Candles.mergeInto(
                store,
                batch,
                topic,
                straddling -> {
                    throw new AssertionError("no candle is held in part here: " + straddling);
                },
                query,
                batchId);
    }
}
