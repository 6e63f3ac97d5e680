package io.streamingpipeline.spark.health;

import java.time.Instant;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What the health endpoint knows about one streaming query, from its listener events.
 *
 * @param lastSignal              the latest progress or idle event (the query's heartbeat), or its start
 * @param madeProgress            whether a micro-batch finished, or the query reported being idle, since start
 * @param batchDurationMillis     the last batch's {@code triggerExecution} time
 * @param maxOffsetsBehindLatest  Kafka lag reported by the source, if any
 * @param failure                 the exception message when the query terminated with an error
 */
public record QueryStatus(
        String name,
        boolean active,
        Instant lastSignal,
        boolean madeProgress,
        long lastBatchId,
        double inputRowsPerSecond,
        double processedRowsPerSecond,
        long batchDurationMillis,
        long inputRowsTotal,
        OptionalLong maxOffsetsBehindLatest,
        OptionalDouble avgOffsetsBehindLatest,
        String failure) {}
