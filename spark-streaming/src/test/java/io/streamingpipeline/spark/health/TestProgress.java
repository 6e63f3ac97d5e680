package io.streamingpipeline.spark.health;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/** Progress reports as Spark's listener bus delivers them, for feeding listeners without running a query. */
public final class TestProgress {

    private TestProgress() {}

    /** A report of one finished batch: 1,000 input rows in 1.2 s. */
    public static StreamingQueryProgress of(
            UUID id,
            String name,
            long batchId,
            SourceProgress source,
            StateOperatorProgress[] state,
            Map<String, String> eventTime) {
        Map<String, Long> durations = new HashMap<>();
        durations.put("triggerExecution", 1200L);
        return new StreamingQueryProgress(
                id,
                UUID.randomUUID(),
                name,
                "2025-11-24T16:00:00.000Z",
                batchId,
                1200L,
                durations,
                eventTime,
                state,
                new SourceProgress[] {source},
                null,
                new HashMap<>());
    }

    /** A Kafka source's part of a report: the batch's start and end offsets, as JSON. */
    public static SourceProgress kafkaSource(String startOffset, String endOffset, Map<String, String> metrics) {
        return new SourceProgress(
                "KafkaV2[Subscribe[crypto_trades]]", startOffset, endOffset, endOffset, 1000, 250.5, 300.0, metrics);
    }

    /** A report of batch {@code batchId} of the query {@code id}, whose Kafka range went from one JSON to the other. */
    public static StreamingQueryProgress kafkaBatch(UUID id, long batchId, String startOffset, String endOffset) {
        return of(
                id,
                "trades",
                batchId,
                kafkaSource(startOffset, endOffset, new HashMap<>()),
                new StateOperatorProgress[0],
                new HashMap<>());
    }
}
