package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's table of trade cases ({@code /contract/trade-cases.json}, the same table the contract's and the
 * ingestor's tests run) against the job's record check: each record gets the reason the table gives.
 */
class TradeCasesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonNode table;

    record TradeCase(String name, String record, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static synchronized JsonNode table() throws Exception {
        if (table == null) {
            try (InputStream in = TradeCasesTest.class.getResourceAsStream("/contract/trade-cases.json")) {
                table = MAPPER.readTree(in);
            }
        }
        return table;
    }

    static List<TradeCase> cases() throws Exception {
        ObjectNode base = (ObjectNode) table().get("base");
        List<TradeCase> cases = new ArrayList<>();
        for (JsonNode c : table().get("cases")) {
            String record;
            if (c.has("raw")) {
                record = c.get("raw").textValue();
            } else {
                ObjectNode trade = base.deepCopy();
                c.path("set").fields().forEachRemaining(f -> trade.set(f.getKey(), f.getValue()));
                c.path("remove").forEach(f -> trade.remove(f.textValue()));
                record = MAPPER.writeValueAsString(trade);
            }
            cases.add(new TradeCase(
                    c.get("name").textValue(),
                    record,
                    c.get("reason").isNull() ? null : c.get("reason").textValue()));
        }
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theJobGivesEachRecordTheReasonOfTheTable(TradeCase c) throws Exception {
        TradeRecordCheck.Checked checked = TradeRecordCheck.check(
                c.record().getBytes(StandardCharsets.UTF_8),
                table().get("reference_millis").longValue(),
                Duration.ofSeconds(table().get("max_future_skew_seconds").longValue()));
        assertThat(checked.rejectReason()).as(c.record()).isEqualTo(c.reason());
    }

    @Test
    void theTableHasCasesOfEveryKind() throws Exception {
        assertThat(cases()).hasSizeGreaterThan(80);
    }
}
