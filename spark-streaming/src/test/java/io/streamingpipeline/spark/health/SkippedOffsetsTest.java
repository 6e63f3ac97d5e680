package io.streamingpipeline.spark.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SkippedOffsetsTest {

    private static final UUID QUERY = UUID.fromString("5d2c1f9e-0000-4000-8000-000000000001");

    private final PipelineMetrics metrics = new PipelineMetrics();
    private final SkippedOffsets skipped = new SkippedOffsets("crypto_trades", metrics);

    @Test
    void countsTheOffsetsOfTheBatchsRangeAtWhichNoRecordWasRead() {
        skipped.read(QUERY, 4, Map.of(0, 300L, 1, 500L, 2, 200L));
        skipped.progress(TestProgress.kafkaBatch(
                QUERY,
                4,
                "{\"crypto_trades\":{\"0\":1000,\"1\":2000,\"2\":3000}}",
                "{\"crypto_trades\":{\"0\":1500,\"1\":2500,\"2\":3200}}"));

        assertThat(metrics.offsetsSkipped())
                .as("200 gone from partition 0, none from 1 or 2")
                .isEqualTo(200);
    }

    @Test
    void aPartitionWithNoRecordReadCountsWhole() {
        skipped.read(QUERY, 9, Map.of(1, 10L));
        skipped.progress(TestProgress.kafkaBatch(
                QUERY, 9, "{\"crypto_trades\":{\"0\":7,\"1\":0}}", "{\"crypto_trades\":{\"0\":57,\"1\":10}}"));

        assertThat(metrics.offsetsSkipped()).isEqualTo(50);
    }

    @Test
    void nothingIsCountedWhenEveryOffsetHadItsRecord() {
        skipped.read(QUERY, 1, Map.of(0, 5L, 1, 3L));
        skipped.progress(TestProgress.kafkaBatch(
                QUERY, 1, "{\"crypto_trades\":{\"0\":0,\"1\":0}}", "{\"crypto_trades\":{\"0\":5,\"1\":3}}"));

        assertThat(metrics.offsetsSkipped()).isZero();
    }

    @Test
    void aPartitionNewInTheBatchIsNotChecked() {
        // Spark reads a partition added to the topic from its earliest offset, which the report does not give
        skipped.read(QUERY, 2, Map.of(0, 5L, 1, 4L));
        skipped.progress(TestProgress.kafkaBatch(
                QUERY, 2, "{\"crypto_trades\":{\"0\":0}}", "{\"crypto_trades\":{\"0\":5,\"1\":9}}"));

        assertThat(metrics.offsetsSkipped()).isZero();
    }

    @Test
    void onlyTheBatchTheWriterReadIsChecked() {
        skipped.read(QUERY, 3, Map.of(0, 5L));
        // another query's batch of the same id, then this query's next batch: neither has reads to compare with
        skipped.progress(TestProgress.kafkaBatch(
                UUID.randomUUID(), 3, "{\"crypto_trades\":{\"0\":0}}", "{\"crypto_trades\":{\"0\":99}}"));
        skipped.progress(
                TestProgress.kafkaBatch(QUERY, 4, "{\"crypto_trades\":{\"0\":5}}", "{\"crypto_trades\":{\"0\":99}}"));
        assertThat(metrics.offsetsSkipped()).isZero();

        skipped.progress(
                TestProgress.kafkaBatch(QUERY, 3, "{\"crypto_trades\":{\"0\":0}}", "{\"crypto_trades\":{\"0\":6}}"));
        assertThat(metrics.offsetsSkipped()).isEqualTo(1);
        skipped.progress(
                TestProgress.kafkaBatch(QUERY, 3, "{\"crypto_trades\":{\"0\":0}}", "{\"crypto_trades\":{\"0\":6}}"));
        assertThat(metrics.offsetsSkipped()).as("a report is taken once").isEqualTo(1);
    }

    @Test
    void offsetsOfAnotherTopicOrSourceAreNotRead() {
        skipped.read(QUERY, 0, Map.of());
        skipped.progress(TestProgress.kafkaBatch(QUERY, 0, "{\"other\":{\"0\":0}}", "{\"other\":{\"0\":9}}"));
        skipped.read(QUERY, 1, Map.of());
        skipped.progress(TestProgress.kafkaBatch(QUERY, 1, "41", "50")); // a memory stream's offsets
        skipped.read(QUERY, 2, Map.of());
        skipped.progress(TestProgress.kafkaBatch(QUERY, 2, null, "{\"crypto_trades\":{\"0\":9}}")); // batch 0
        skipped.read(QUERY, 3, Map.of());
        skipped.progress(TestProgress.kafkaBatch(QUERY, 3, "{\"crypto_trades\":{\"x\":0}}", "{not json"));

        assertThat(metrics.offsetsSkipped()).isZero();
    }
}
