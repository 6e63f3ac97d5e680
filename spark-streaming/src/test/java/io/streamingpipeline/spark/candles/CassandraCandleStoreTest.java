package io.streamingpipeline.spark.candles;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.CandleField;
import io.streamingpipeline.contract.CandleRow;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What a candle write gives each column of the table: a value of the column's type, and what readers read back. */
class CassandraCandleStoreTest {

    private static final long MINUTE = 1_764_000_000_000L;
    private static final MergedCandle MERGED = new MergedCandle(
            Candle.ofTrade("BINANCE:BTCUSDT", MINUTE + 1_500, "019ab2d4-5c1e-7a3b-8c4d-000000000001", 97000.5, 0.25)
                    .merge(Candle.ofTrade(
                            "BINANCE:BTCUSDT", MINUTE + 9_000, "019ab2d4-5c1e-7a3b-8c4d-000000000002", 97100.0, 0.5)),
            Map.of("crypto_trades-0", 41L),
            new UUID(7, 7),
            3);

    @ParameterizedTest
    @EnumSource(CandleField.class)
    void everyColumnIsWrittenAsItsType(CandleField field) {
        assertThat(CassandraCandleStore.value(field, MERGED))
                .as(field.cqlName())
                .isNotNull()
                .isInstanceOf(field.type().java());
    }

    @ParameterizedTest
    @EnumSource(
            value = CandleField.Part.class,
            names = {"KEY", "CANDLE"})
    void readersReadTheCandleThatWasWritten(CandleField.Part part) {
        CandleRow row = CandleRow.of(f -> CassandraCandleStore.value(f, MERGED));
        for (CandleField field : CandleField.of(part)) {
            assertThat(row.value(field)).as(field.cqlName()).isEqualTo(CassandraCandleStore.value(field, MERGED));
        }
        assertThat(row.tradeCount()).isEqualTo(2);
        assertThat(row.open()).isEqualTo(97000.5);
        assertThat(row.close()).isEqualTo(97100.0);
    }
}
