package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.testing.TradeCases;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's table of trade cases ({@link TradeCases}, the same table the contract's and the ingestor's tests run)
 * against the job's record check: each record gets the reason the table gives.
 */
class TradeCasesTest {

    private static final TradeCases TABLE = TradeCases.load();

    static List<TradeCases.TradeCase> cases() {
        return TABLE.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theJobGivesEachRecordTheReasonOfTheTable(TradeCases.TradeCase c) {
        TradeRecordCheck.Checked checked = TradeRecordCheck.check(
                c.record().getBytes(StandardCharsets.UTF_8), TABLE.referenceMillis(), TABLE.maxFutureSkew());
        assertThat(checked.rejectReason()).as(c.record()).isEqualTo(c.reason());
    }

    @Test
    void theTableHasCasesOfEveryKind() {
        assertThat(cases()).hasSizeGreaterThan(80);
    }
}
