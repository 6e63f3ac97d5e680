package io.streamingpipeline.ingestor.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.testing.TradeCases;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's table of trade cases ({@link TradeCases}, also run against the contract and the Spark job) against
 * the frame parser: every case that changes only fields a feed sends ({@link FinnhubFields}), as one trade of a frame,
 * gets the table's reason (valid: one trade).
 */
class FrameParserTradeCasesTest {

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final TradeCases TABLE = TradeCases.load();
    /** Contract field -> Finnhub field. */
    private static final Map<String, String> FEED_FIELDS = Arrays.stream(TradeField.values())
            .filter(f -> FinnhubFields.key(f) != null)
            .collect(Collectors.toMap(TradeField::jsonName, FinnhubFields::key));

    static List<TradeCases.TradeCase> cases() {
        return TABLE.cases().stream()
                .filter(c -> c.raw() == null && FEED_FIELDS.keySet().containsAll(c.touchedFields()))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theFrameParserGivesEachFeedTradeTheReasonOfTheTable(TradeCases.TradeCase c) throws Exception {
        String element = c.recordWithNames(FEED_FIELDS::get);
        FrameParser parser = new FrameParser(MAPPER, () -> new UUID(0x7000, 1), TABLE.maxFutureSkew());
        Frame.Trades trades =
                (Frame.Trades) parser.parse("{\"type\":\"trade\",\"data\":[" + element + "]}", TABLE.referenceMillis());
        if (c.reason() == null) {
            assertThat(trades.rejected()).as(element).isEmpty();
            assertThat(trades.valid()).hasSize(1);
        } else {
            assertThat(trades.rejected())
                    .as(element)
                    .singleElement()
                    .satisfies(r -> assertThat(r.reason().label()).isEqualTo(c.reason()));
        }
    }
}
