package io.streamingpipeline.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.contract.CassandraSchema.CandleColumns;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The CQL file's 1-minute candle table and the {@link CandleRow} record against the one list of its columns. */
class CandleFieldTest {

    private static final CandleRow ROW = new CandleRow(
            "BINANCE:BTCUSDT",
            "2025-11-24",
            Instant.parse("2025-11-24T16:00:00Z"),
            97000.5,
            97100.25,
            96900.75,
            97050.0,
            1.5,
            42,
            97010.125);

    @Test
    void theCqlTableHasExactlyTheColumnsInOrderWithTheirTypes() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (CandleField field : CandleField.values()) {
            expected.put(field.cqlName(), field.type().cql());
        }
        assertThat(CqlTable.columns(CassandraSchema.CANDLES_TABLE)).containsExactlyEntriesOf(expected);
        assertThat(CandleColumns.ALL).containsExactlyElementsOf(expected.keySet());
    }

    @Test
    void theCqlPrimaryKeyIsTheKeyPart() {
        assertThat(CqlTable.primaryKey(CassandraSchema.CANDLES_TABLE))
                .containsExactlyElementsOf(CandleField.names(CandleField.of(CandleField.Part.KEY)));
    }

    @ParameterizedTest
    @EnumSource(CandleField.class)
    void theRowHoldsEveryColumnOfTheKeyAndTheCandle(CandleField field) {
        if (field.part() == CandleField.Part.MERGE) {
            assertThatThrownBy(() -> ROW.value(field)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThat(ROW.value(field))
                .as(field.cqlName())
                .isNotNull()
                .isInstanceOf(field.type().java());
        assertThat(CandleRow.of(ROW::value)).isEqualTo(ROW);
        assertThat(CandleColumns.CANDLE).contains(field.cqlName());
    }

    @Test
    void aRowIsReadByPositionFromASelectOfTheCandleColumnsInTheirOrder() {
        List<Object> selected = new ArrayList<>();
        for (String column : CandleColumns.CANDLE) {
            CandleField field = Arrays.stream(CandleField.values())
                    .filter(f -> f.cqlName().equals(column))
                    .findFirst()
                    .orElseThrow();
            selected.add(ROW.value(field));
        }

        assertThat(CandleRow.ofSelected(selected::get)).isEqualTo(ROW);
        assertThatThrownBy(() -> CandleRow.ofSelected(
                        i -> i == CandleColumns.CANDLE.indexOf(CandleColumns.CLOSE) ? null : selected.get(i)))
                .hasMessageContaining(CandleColumns.CLOSE);
    }

    @Test
    void aRowRefusesANullOrMistypedColumnNamingIt() {
        assertThatThrownBy(() -> CandleRow.of(f -> f == CandleField.OPEN ? null : ROW.value(f)))
                .hasMessageContaining(CandleColumns.OPEN);
        assertThatThrownBy(() -> CandleRow.of(f -> f == CandleField.TRADE_COUNT ? 42 : ROW.value(f)))
                .hasMessageContaining(CandleColumns.TRADE_COUNT);
        assertThat(CandleRow.of(f -> f == CandleField.VWAP ? null : ROW.value(f))
                        .vwap())
                .isNull();
    }
}
