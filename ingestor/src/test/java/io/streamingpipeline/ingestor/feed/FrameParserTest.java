package io.streamingpipeline.ingestor.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamingpipeline.contract.DeadLetter;
import io.streamingpipeline.contract.RejectReason;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.TradeValidation;
import io.streamingpipeline.contract.testing.TradeBuilder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameParserTest {

    private static final long NOW = 1_764_000_000_500L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong();
    private final FrameParser parser = new FrameParser(
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS),
            () -> new UUID(0x7000, ids.incrementAndGet()),
            Duration.ofHours(1));

    @Test
    void readsEveryFieldOfATradeFrame() {
        Frame frame = parser.parse("""
                {"type":"trade","data":[
                  {"s":"BINANCE:BTCUSDT","p":97123.45,"t":1764000000123,"v":0.0123,"c":null},
                  {"s":"AAPL","p":231,"t":1764000000100,"v":0,"c":["1","12"]},
                  {"s":"COINBASE:BTC-USD","p":1E-8,"t":1764000000001,"v":5}
                ]}""", NOW);

        assertThat(frame).isInstanceOf(Frame.Trades.class);
        Frame.Trades trades = (Frame.Trades) frame;
        assertThat(trades.rejected()).isEmpty();
        assertThat(trades.valid())
                .containsExactly(
                        ingested(1, "BINANCE:BTCUSDT", 97123.45, 0.0123, 1764000000123L)
                                .conditions((List<String>) null)
                                .build(),
                        ingested(2, "AAPL", 231.0, 0.0, 1764000000100L)
                                .conditions("1", "12")
                                .build(),
                        ingested(3, "COINBASE:BTC-USD", 1e-8, 5.0, 1764000000001L)
                                .conditions((List<String>) null)
                                .build());
    }

    /** A field the parser does not take from the feed, or an ingestor field it does not set, fails here. */
    @Test
    void everyFieldOfTheContractIsTakenFromTheFeedOrSetByTheIngestor() throws Exception {
        Trade expected = TradeBuilder.trade()
                .id(new UUID(0x7000, 1))
                .timestampUnix(NOW - 400)
                .ingestedAt(NOW)
                .build();
        ObjectNode element = MAPPER.createObjectNode();
        for (TradeField field : TradeField.values()) {
            String key = FinnhubFields.key(field);
            assertThat(key == null).as(field.jsonName()).isEqualTo(TradeValidation.INGESTOR_FIELDS.contains(field));
            if (key != null) {
                element.set(key, MAPPER.valueToTree(expected.value(field)));
            }
        }
        Frame.Trades trades = (Frame.Trades) parser.parse("{\"type\":\"trade\",\"data\":[" + element + "]}", NOW);
        assertThat(trades.rejected()).isEmpty();
        Trade trade = trades.valid().get(0);
        for (TradeField field : TradeField.values()) {
            assertThat(trade.value(field)).as(field.jsonName()).isNotNull().isEqualTo(expected.value(field));
        }
    }

    /** A trade of these feed fields, ingested {@link #NOW}, without the nullable fields the frames here leave out. */
    private static TradeBuilder ingested(int id, String symbol, double price, double volume, long timestampUnix) {
        TradeBuilder trade = TradeBuilder.trade()
                .id(new UUID(0x7000, id))
                .symbol(symbol)
                .price(price)
                .volume(volume)
                .timestampUnix(timestampUnix)
                .ingestedAt(NOW);
        for (TradeField field : TradeField.values()) {
            if (field.nullable()) {
                trade.with(field, null);
            }
        }
        return trade;
    }

    @Test
    void keepsTheValidTradesOfAFrameWithBadOnes() {
        Frame.Trades trades = (Frame.Trades) parser.parse("""
                {"type":"trade","data":[{"s":"A","p":1,"t":1764000000000,"v":1},{"s":"B","p":-1,"t":1764000000000,"v":1}]}""", NOW);
        assertThat(trades.valid()).extracting(Trade::symbol).containsExactly("A");
        assertThat(trades.rejected()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.INVALID_PRICE);
            assertThat(r.raw()).isEqualTo("{\"s\":\"B\",\"p\":-1,\"t\":1764000000000,\"v\":1}");
        });
    }

    @Test
    void emptyDataIsNoTradeAndNoRejection() {
        Frame.Trades trades = (Frame.Trades) parser.parse("{\"type\":\"trade\",\"data\":[]}", NOW);
        assertThat(trades.valid()).isEmpty();
        assertThat(trades.rejected()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"p":1,"t":1764000000000,"v":1}                              | MISSING_SYMBOL
            {"s":"","p":1,"t":1764000000000,"v":1}                       | MISSING_SYMBOL
            {"s":"  ","p":1,"t":1764000000000,"v":1}                     | MISSING_SYMBOL
            {"s":7,"p":1,"t":1764000000000,"v":1}                        | MISSING_SYMBOL
            {"s":"A","t":1764000000000,"v":1}                            | INVALID_PRICE
            {"s":"A","p":0,"t":1764000000000,"v":1}                      | INVALID_PRICE
            {"s":"A","p":-3.5,"t":1764000000000,"v":1}                   | INVALID_PRICE
            {"s":"A","p":"97000","t":1764000000000,"v":1}                | INVALID_PRICE
            {"s":"A","p":"NaN","t":1764000000000,"v":1}                  | INVALID_PRICE
            {"s":"A","p":null,"t":1764000000000,"v":1}                   | INVALID_PRICE
            {"s":"A","p":1e400,"t":1764000000000,"v":1}                  | INVALID_PRICE
            {"s":"A","p":1,"t":1764000000000}                            | INVALID_VOLUME
            {"s":"A","p":1,"t":1764000000000,"v":-0.1}                   | INVALID_VOLUME
            {"s":"A","p":1,"t":1764000000000,"v":"1"}                    | INVALID_VOLUME
            {"s":"A","p":1,"v":1}                                        | INVALID_TIMESTAMP
            {"s":"A","p":1,"t":1764000000,"v":1}                         | INVALID_TIMESTAMP
            {"s":"A","p":1,"t":1764000000000.5,"v":1}                    | INVALID_TIMESTAMP
            {"s":"A","p":1,"t":"1764000000000","v":1}                    | INVALID_TIMESTAMP
            {"s":"A","p":1,"t":1864000000000,"v":1}                      | INVALID_TIMESTAMP
            {"s":"A","p":1,"t":-5,"v":1}                                 | INVALID_TIMESTAMP
            {"s":"A","p":1,"t":1764000000000,"v":1,"c":[1,2]}            | INVALID_CONDITIONS
            {"s":"A","p":1,"t":1764000000000,"v":1,"c":"1"}              | INVALID_CONDITIONS
            {"s":"A","p":1,"t":1764000000000,"v":1,"c":["1",null]}       | INVALID_CONDITIONS
            {"s":"A","p":1,"t":1764000000000,"v":1,"c":["1","\\udc00x"]} | INVALID_CONDITIONS
            {"s":"A\\ud800","p":1,"t":1764000000000,"v":1}                  | MISSING_SYMBOL
            "just a string"                                              | MALFORMED_FRAME
            """)
    void rejectsABadTradeWithItsReasonAndRawText(String element, RejectReason expected) {
        Frame.Trades trades = (Frame.Trades) parser.parse("{\"type\":\"trade\",\"data\":[" + element + "]}", NOW);
        assertThat(trades.valid()).isEmpty();
        assertThat(trades.rejected()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(expected);
            assertThat(r.detail()).isNotBlank();
            assertThat(r.raw()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            not json at all                                | MALFORMED_JSON
            {"type":"trade","data":[                       | MALFORMED_JSON
            {"type":"ping"} trailing                       | MALFORMED_JSON
            [1,2,3]                                        | MALFORMED_JSON
            42                                             | MALFORMED_JSON
            {"data":[]}                                    | MALFORMED_FRAME
            {"type":5}                                     | MALFORMED_FRAME
            {"type":"trade"}                               | MALFORMED_FRAME
            {"type":"trade","data":{"s":"A"}}              | MALFORMED_FRAME
            {"type":"trade","data":null}                   | MALFORMED_FRAME
            """)
    void rejectsAnUnreadableFrameWhole(String text, RejectReason expected) {
        Frame frame = parser.parse(text, NOW);
        assertThat(frame).isInstanceOf(Frame.Unreadable.class);
        Rejection r = ((Frame.Unreadable) frame).rejection();
        assertThat(r.reason()).isEqualTo(expected);
        assertThat(r.raw()).isEqualTo(text);
    }

    @Test
    void recognisesPingErrorAndUnknownTypes() {
        assertThat(parser.parse("{\"type\":\"ping\"}", NOW)).isInstanceOf(Frame.Ping.class);
        assertThat(parser.parse("{\"type\":\"error\",\"msg\":\"Subscribing to too many symbols\"}", NOW))
                .isEqualTo(new Frame.Error("Subscribing to too many symbols"));
        assertThat(parser.parse("{\"type\":\"news\",\"data\":[]}", NOW)).isEqualTo(new Frame.Unknown("news"));
        assertThat(parser.parse("{\"type\":\"Weird Type!\"}", NOW)).isEqualTo(new Frame.Unknown("other"));
    }

    @Test
    void truncatesHugeRawTextForTheDeadLetter() {
        String huge = "x".repeat(DeadLetter.MAX_RAW_CHARS + 10);
        Rejection r = ((Frame.Unreadable) parser.parse(huge, NOW)).rejection();
        assertThat(r.raw()).hasSizeLessThan(DeadLetter.MAX_RAW_CHARS + 20).endsWith("[truncated]");
    }
}
