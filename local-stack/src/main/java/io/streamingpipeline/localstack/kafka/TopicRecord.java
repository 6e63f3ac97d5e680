package io.streamingpipeline.localstack.kafka;

import java.util.Map;

/** One record read by {@link TopicReader}: key and value as UTF-8 strings (null stays null), headers likewise. */
public record TopicRecord(
        String topic,
        int partition,
        long offset,
        long timestamp,
        String key,
        String value,
        Map<String, String> headers) {}
