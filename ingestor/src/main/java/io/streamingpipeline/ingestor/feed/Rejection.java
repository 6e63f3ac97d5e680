package io.streamingpipeline.ingestor.feed;

import io.streamingpipeline.contract.RejectReason;

/**
 * A frame or trade element the ingestor refuses, bound for the dead-letter topic.
 *
 * @param raw the text as received: the whole frame, or the one element of its {@code data} array
 */
public record Rejection(RejectReason reason, String detail, String raw) {}
