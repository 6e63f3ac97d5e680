package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TradeContentTest extends SimulatorTestBase {

    private static final String SOL = "BINANCE:SOLUSDT";
    private static final String EUR_USD = "OANDA:EUR_USD";
    private static final Pattern PRICE = Pattern.compile("\"p\":(-?[0-9.]+)");

    /** A trade without its timestamp. */
    private record TradeContent(String symbol, double price, double volume, List<String> conditions, boolean absent) {}

    @Test
    void theSameSeedAndSubscriptionsGiveTheSameTradesApartFromTimestamps() throws Exception {
        Map<String, List<TradeContent>> first = firstTradesBySymbol(7, 300);
        Map<String, List<TradeContent>> again = firstTradesBySymbol(7, 300);
        Map<String, List<TradeContent>> otherSeed = firstTradesBySymbol(8, 300);

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed.get(BTC)).isNotEqualTo(first.get(BTC));
    }

    private static Map<String, List<TradeContent>> firstTradesBySymbol(long seed, int perSymbol) throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(
                        quietConfig().withSeed(seed).withTradesPerSecond(20_000).withDuplicateProbability(0.02));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH, AAPL);
            await().atMost(PATIENCE)
                    .until(() -> client.tradesBySymbol().values().stream().allMatch(count -> count >= perSymbol)
                            && client.tradesBySymbol().size() == 3);
            Map<String, List<TradeContent>> bySymbol = new HashMap<>();
            for (FrameClassifier.ReceivedTrade trade : client.trades()) {
                List<TradeContent> trades = bySymbol.computeIfAbsent(trade.symbol(), s -> new ArrayList<>());
                if (trades.size() < perSymbol) {
                    trades.add(new TradeContent(
                            trade.symbol(),
                            trade.price(),
                            trade.volume(),
                            trade.conditions(),
                            trade.conditionsAbsent()));
                }
            }
            return bySymbol;
        }
    }

    @Test
    void tradesHaveTheRoughEdgesOfTheRealFeed() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(
                        quietConfig().withTradesPerSecond(100_000).withDuplicateProbability(0.05));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH, AAPL, SOL, EUR_USD);
            await().atMost(PATIENCE).until(() -> client.totalTrades() >= 20_000);
            client.unsubscribe(BTC, ETH, AAPL, SOL, EUR_USD);

            List<FrameClassifier.Classified> frames = client.classifiedFrames();
            assertThat(frames).allSatisfy(frame -> assertThat(frame.kind()).isEqualTo(FrameClassifier.Kind.TRADE));
            assertThat(frames).allSatisfy(frame -> assertThat(frame.trades()).hasSizeBetween(1, 100));
            assertThat(frames).anySatisfy(frame -> assertThat(symbolsOf(frame)).hasSizeGreaterThan(2));
            assertThat(frames)
                    .anySatisfy(frame -> assertThat(isSortedByTime(frame)).isFalse());

            List<FrameClassifier.ReceivedTrade> trades = client.trades();
            long now = System.currentTimeMillis();
            assertThat(trades).allSatisfy(trade -> {
                assertThat(trade.price()).isPositive();
                assertThat(trade.timestamp()).isBetween(now - 60_000, now + 1_000);
            });
            assertThat(pricesOf(trades, BTC))
                    .allSatisfy(price -> assertThat(price).isBetween(80_000.0, 115_000.0));
            assertThat(pricesOf(trades, ETH))
                    .allSatisfy(price -> assertThat(price).isBetween(2_900.0, 4_200.0));
            assertThat(pricesOf(trades, AAPL))
                    .allSatisfy(price -> assertThat(price).isBetween(30.0, 170.0));
            assertThat(pricesOf(trades, EUR_USD))
                    .allSatisfy(price -> assertThat(price).isBetween(0.5, 2.0));
            assertThat(trades)
                    .filteredOn(trade -> trade.symbol().equals(BTC))
                    .allSatisfy(
                            trade -> assertThat(decimalsOfPrice(trade.raw())).isLessThanOrEqualTo(2));

            assertThat(trades).anySatisfy(trade -> assertThat(trade.volume()).isZero());
            assertThat(trades)
                    .anySatisfy(trade -> assertThat(trade.conditionsAbsent()).isTrue());
            assertThat(trades).anySatisfy(trade -> {
                assertThat(trade.conditionsAbsent()).isFalse();
                assertThat(trade.conditions()).isNull();
            });
            assertThat(trades)
                    .anySatisfy(trade -> assertThat(trade.conditions()).contains("1", "12"));
            assertThat(countExactRepeats(trades)).isGreaterThan(100);
        }
    }

    @Test
    void recordedTradesAreExactlyWhatTheClientReceived() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(
                        quietConfig().withTradesPerSecond(50_000).withRecordTrades(true));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH, AAPL);
            await().atMost(PATIENCE).until(() -> client.totalTrades() >= 3_000);
            client.unsubscribe(BTC, ETH, AAPL);

            await().atMost(PATIENCE).untilAsserted(() -> {
                List<DeliveredTrade> received = client.trades().stream()
                        .map(FrameClassifier.ReceivedTrade::asDelivered)
                        .toList();
                assertThat(simulator.deliveredTrades()).isEqualTo(received);
            });
            assertThat(simulator.groundTruth().totalTrades())
                    .isEqualTo(simulator.deliveredTrades().size());
        }
    }

    private static List<String> symbolsOf(FrameClassifier.Classified frame) {
        return frame.trades().stream()
                .map(FrameClassifier.ReceivedTrade::symbol)
                .distinct()
                .toList();
    }

    private static boolean isSortedByTime(FrameClassifier.Classified frame) {
        long previous = Long.MIN_VALUE;
        for (FrameClassifier.ReceivedTrade trade : frame.trades()) {
            if (trade.timestamp() < previous) {
                return false;
            }
            previous = trade.timestamp();
        }
        return true;
    }

    private static List<Double> pricesOf(List<FrameClassifier.ReceivedTrade> trades, String symbol) {
        List<Double> prices = trades.stream()
                .filter(t -> t.symbol().equals(symbol))
                .map(FrameClassifier.ReceivedTrade::price)
                .toList();
        assertThat(prices).isNotEmpty();
        return prices;
    }

    private static int decimalsOfPrice(String rawTrade) {
        Matcher matcher = PRICE.matcher(rawTrade);
        assertThat(matcher.find()).isTrue();
        String price = matcher.group(1);
        return price.contains(".") ? price.length() - price.indexOf('.') - 1 : 0;
    }

    /** Trades identical in s, p, t, v and c to the previous trade of the same symbol. */
    private static long countExactRepeats(List<FrameClassifier.ReceivedTrade> trades) {
        Map<String, String> previousBySymbol = new HashMap<>();
        long repeats = 0;
        for (FrameClassifier.ReceivedTrade trade : trades) {
            if (trade.raw().equals(previousBySymbol.put(trade.symbol(), trade.raw()))) {
                repeats++;
            }
        }
        return repeats;
    }
}
