package io.streamingpipeline.spark;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.streamingpipeline.spark.TestTrades.T0;
import static io.streamingpipeline.spark.TestTrades.id;
import static io.streamingpipeline.spark.TestTrades.trade;
import static org.assertj.core.api.Assertions.assertThat;

class LateTradesTest {

    @Test
    void aTradeIsLateWhenItsMinuteEndedAtOrBeforeTheWatermark() {
        long watermark = T0 + 60_000; // the minute [T0, T0+60s) has just closed
        List<Row> rows = TradeParsing.parse(LocalSpark.kafkaRows(T0 + 3_600_000,
                        trade(id(1), "A", 1, 1, T0),
                        trade(id(2), "A", 1, 1, T0 + 59_999),
                        trade(id(3), "A", 1, 1, T0 + 60_000),
                        trade(id(4), "A", 1, 1, T0 - 1)), Duration.ofHours(1)).valid()
                .select("timestamp_unix", "id")
                .withColumn("late", LateTrades.isLate(watermark))
                .orderBy("id").collectAsList();
        assertThat(rows).extracting(r -> r.<Boolean>getAs("late")).containsExactly(true, true, false, true);
    }

    @Test
    void theWatermarkIsTheHigherOfWhatTheCandleQueryReportsAndWhatTheTradesShow() {
        long[] reported = {EventTimeWatermark.NONE};
        EventTimeWatermark watermark = new EventTimeWatermark(Duration.ofSeconds(30), () -> reported[0]);
        assertThat(watermark.currentMillis()).isEqualTo(EventTimeWatermark.NONE);
        watermark.observe(T0 + 100_000);
        watermark.observe(T0 + 50_000); // an older batch maximum never lowers it
        assertThat(watermark.currentMillis()).isEqualTo(T0 + 70_000);
        reported[0] = T0 + 80_000;
        assertThat(watermark.currentMillis()).isEqualTo(T0 + 80_000);
    }
}
