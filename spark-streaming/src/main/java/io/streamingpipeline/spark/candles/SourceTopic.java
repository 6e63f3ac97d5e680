package io.streamingpipeline.spark.candles;

import java.io.Serializable;
import java.util.Objects;

/**
 * The Kafka topic a batch's trades come from, as the candles' merge positions name it: its name, and the id Kafka gave
 * it when it was created. A topic deleted and created again under the same name gets a new id and starts its offsets
 * at 0 again; keyed by the id, the old topic's positions do not hold back the new topic's trades.
 *
 * @param id Kafka's topic id; null when unknown (positions are then keyed by the name alone, as before the id was kept)
 */
public record SourceTopic(String name, String id) implements Serializable {

    public SourceTopic {
        Objects.requireNonNull(name, "name");
    }

    /** A topic known by its name only. */
    public static SourceTopic named(String name) {
        return new SourceTopic(name, null);
    }

    /**
     * The key of a partition in {@link MergedCandle#mergedOffsets}: {@code <topic>@<id>-<partition>}, or {@code
     * <topic>-<partition>} (as Kafka names a partition) without an id. No topic name contains {@code @}.
     */
    public String partitionKey(int partition) {
        return id == null ? nameKey(partition) : name + "@" + id + "-" + partition;
    }

    /**
     * The key of the partition in positions written without the topic's id (by versions before it was kept): they
     * are taken as the current topic's when a candle has no position under {@link #partitionKey}.
     */
    String nameKey(int partition) {
        return name + "-" + partition;
    }
}
