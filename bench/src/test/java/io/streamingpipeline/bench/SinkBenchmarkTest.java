package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.Trade;
import java.util.List;
import org.junit.jupiter.api.Test;

class SinkBenchmarkTest {

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
    void triggerIntervalsInMilliseconds() {
        assertThat(LatencyOptions.triggerMillis("250ms")).isEqualTo(250);
        assertThat(LatencyOptions.triggerMillis("1s")).isEqualTo(1_000);
        assertThat(LatencyOptions.triggerMillis("2 seconds")).isEqualTo(2_000);
    }
}
