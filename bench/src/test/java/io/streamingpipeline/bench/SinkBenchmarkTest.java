package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.TradeColumns;
import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.contract.TradeField;
import io.streamingpipeline.contract.TradeValidation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkBenchmarkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ceilingBatchesHoldRowsOfOnePartitionOnlyAndEveryRowOnce() {
        List<Trade> trades = SinkTrades.trades(1_000, 1, List.of("A", "B", "C"));

        List<List<Trade>> batches = DriverCeiling.partitionBatches(trades, 50);

        for (List<Trade> batch : batches) {
            assertThat(batch).hasSizeLessThanOrEqualTo(50);
            assertThat(SinkTrades.partitions(batch)).hasSize(1);
        }
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactlyInAnyOrderElementsOf(trades);
    }

    @Test
    void generatedTradesAreValidByTheContract() {
        List<Trade> trades = SinkTrades.trades(2_000, 7, List.of("BINANCE:BTCUSDT", "BINANCE:ETHUSDT"));

        for (Trade t : trades) {
            JsonNode record = JSON.valueToTree(t);
            assertThat(TradeValidation.check(
                            f -> TradeValidation.valueOf(record.get(f.jsonName())),
                            System.currentTimeMillis(),
                            Duration.ofSeconds(5)))
                    .as(record.toString())
                    .isNull();
        }
        assertThat(trades.stream().map(Trade::conditions).distinct()).hasSizeGreaterThan(2);
    }

    @Test
    void theCeilingWritesEveryColumnOfTheTradesTableAndEveryFieldOfTheContract() {
        Trade trade = SinkTrades.trades(1, 3, List.of("A")).get(0);

        assertThat(DriverCeiling.insertCql("ks"))
                .isEqualTo("INSERT INTO ks." + CassandraSchema.TRADES_TABLE + " ("
                        + String.join(", ", TradeColumns.ALL) + ") VALUES ("
                        + String.join(", ", java.util.Collections.nCopies(TradeColumns.ALL.size(), "?")) + ")");
        for (TradeField field : TradeField.values()) {
            assertThat(TradeColumns.ALL).contains(field.cqlName());
            assertThat(DriverCeiling.value(trade, field.cqlName()))
                    .as(field.jsonName())
                    .isEqualTo(trade.value(field));
        }
        assertThat(DriverCeiling.value(trade, TradeColumns.DAY)).isEqualTo(SinkTrades.day(trade.timestampUnix()));
    }

    @Test
    void triggerIntervalsInMilliseconds() {
        assertThat(LatencyOptions.triggerMillis("250ms")).isEqualTo(250);
        assertThat(LatencyOptions.triggerMillis("1s")).isEqualTo(1_000);
        assertThat(LatencyOptions.triggerMillis("2 seconds")).isEqualTo(2_000);
    }
}
