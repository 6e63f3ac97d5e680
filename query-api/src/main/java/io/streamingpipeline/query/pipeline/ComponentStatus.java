package io.streamingpipeline.query.pipeline;

/**
 * What the page shows of one part of the pipeline. {@code status}: {@code UP}, {@code DOWN} (it answered, not
 * ready), {@code UNREACHABLE} (no answer) or {@code NOT_CONFIGURED}; {@code rowsPerSecond} is null until two samples
 * of its counter were read. {@code feed}: the ingestor's feed gaps (null for the other components, and while its metrics
 * cannot be read).
 */
public record ComponentStatus(String name, String status, String detail, Double rowsPerSecond, FeedGaps feed) {

    ComponentStatus(String name, String status, String detail) {
        this(name, status, detail, null, null);
    }
}
