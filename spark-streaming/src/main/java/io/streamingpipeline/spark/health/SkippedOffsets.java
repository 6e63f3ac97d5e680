package io.streamingpipeline.spark.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the offsets of each micro-batch's Kafka range at which the job read no record: records Kafka deleted
 * (retention) before the job read them, which its source skips under {@code --fail-on-data-loss false}, and the
 * markers of transactional producers, which hold an offset but no record. The batch writer says how many records it
 * read from each partition; Spark's progress event of the same batch says which offsets the batch covered.
 */
public final class SkippedOffsets extends StreamingQueryListener {

    private static final Logger LOG = LoggerFactory.getLogger(SkippedOffsets.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Batches whose progress event never came (Spark's listener bus drops events when its queue is full). */
    private static final int MAX_PENDING_BATCHES = 256;

    private record Batch(UUID query, long batchId) {}

    private final String topic;
    private final PipelineMetrics metrics;
    private final Map<Batch, Map<Integer, Long>> readByBatch = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Batch, Map<Integer, Long>> eldest) {
            return size() > MAX_PENDING_BATCHES;
        }
    };

    /** @param topic the topic the query reads; the offsets of others are not checked */
    public SkippedOffsets(String topic, PipelineMetrics metrics) {
        this.topic = Objects.requireNonNull(topic);
        this.metrics = Objects.requireNonNull(metrics);
    }

    /** The records a batch read, by partition: called by the batch writer before the batch ends. */
    public void read(UUID query, long batchId, Map<Integer, Long> byPartition) {
        synchronized (readByBatch) {
            readByBatch.put(new Batch(query, batchId), Map.copyOf(byPartition));
        }
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        progress(event.progress());
    }

    /** Takes in one progress report (public so that tests can feed reports without running a query). */
    public void progress(StreamingQueryProgress p) {
        Map<Integer, Long> read;
        synchronized (readByBatch) {
            read = readByBatch.remove(new Batch(p.id(), p.batchId()));
        }
        if (read == null) {
            return;
        }
        for (SourceProgress source : p.sources()) {
            Map<Integer, Long> start = offsets(source.startOffset());
            Map<Integer, Long> end = offsets(source.endOffset());
            Map<Integer, Long> skipped = new TreeMap<>();
            // a partition new in this batch has no start offset: Spark reads it from its earliest, unknown here
            start.forEach((partition, from) -> {
                Long until = end.get(partition);
                long missing = until == null ? 0 : until - from - read.getOrDefault(partition, 0L);
                if (missing > 0) {
                    skipped.put(partition, missing);
                }
            });
            if (!skipped.isEmpty()) {
                long total =
                        skipped.values().stream().mapToLong(Long::longValue).sum();
                metrics.offsetsSkipped(total);
                LOG.warn(
                        "Batch {} of query {}: no record at {} offsets of {} (by partition: {}): records Kafka deleted"
                                + " before the job read them (retention), skipped as --fail-on-data-loss false asks,"
                                + " or transaction markers",
                        p.batchId(),
                        p.name(),
                        total,
                        topic,
                        skipped);
            }
        }
    }

    /** The offsets of the topic in a Kafka source's offset JSON ({@code {"topic":{"0":12,"1":7}}}); empty if none. */
    private Map<Integer, Long> offsets(String json) {
        Map<Integer, Long> offsets = new TreeMap<>();
        if (json == null || json.isBlank()) {
            return offsets;
        }
        try {
            JsonNode partitions = JSON.readTree(json).path(topic);
            partitions.fields().forEachRemaining(e -> {
                if (e.getValue().canConvertToLong()) {
                    offsets.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
                }
            });
        } catch (Exception e) {
            // not a Kafka source's offsets (another source, or a format this code does not know): nothing to check
            LOG.debug("Offsets not read from {}: {}", json, e.toString());
            offsets.clear();
        }
        return offsets;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}
}
