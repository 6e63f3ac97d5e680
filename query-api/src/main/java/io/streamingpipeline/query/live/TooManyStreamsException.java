package io.streamingpipeline.query.live;

/** {@code query.live.max-streams} live streams are open: answered 429, the client may try again later. */
public final class TooManyStreamsException extends RuntimeException {

    private final int max;

    public TooManyStreamsException(int max) {
        super("all " + max + " live streams are in use");
        this.max = max;
    }

    public int max() {
        return max;
    }
}
