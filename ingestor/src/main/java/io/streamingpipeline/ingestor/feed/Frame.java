package io.streamingpipeline.ingestor.feed;

import io.streamingpipeline.contract.Trade;
import java.util.List;

/** What one websocket message from the feed turned out to be. */
public sealed interface Frame {

    /** A {@code trade} frame: its valid trades, and the elements that failed validation. */
    record Trades(List<Trade> valid, List<Rejection> rejected) implements Frame {}

    /** The keep-alive. */
    record Ping() implements Frame {}

    /** An {@code error} frame, e.g. "Subscribing to too many symbols". */
    record Error(String message) implements Frame {}

    /** A well-formed frame of a type this ingestor does not handle (e.g. {@code news}); counted and skipped. */
    record Unknown(String type) implements Frame {}

    /** A frame that could not be read at all. */
    record Unreadable(Rejection rejection) implements Frame {}
}
