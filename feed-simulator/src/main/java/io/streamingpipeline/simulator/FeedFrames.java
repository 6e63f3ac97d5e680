package io.streamingpipeline.simulator;

import java.util.SplittableRandom;

/**
 * The frames a connection sends besides replayed ones: trade frames built from its price walks, and the fixed ping,
 * error and news frames.
 */
final class FeedFrames {

    static final String PING_FRAME = "{\"type\":\"ping\"}";
    static final String TOO_MANY_SYMBOLS_FRAME = "{\"type\":\"error\",\"msg\":\"Subscribing to too many symbols\"}";
    static final String INJECTED_ERROR_FRAME = "{\"type\":\"error\",\"msg\":\"Simulated upstream error\"}";

    private static final int TIMESTAMP_JITTER_MS = 40;

    private final SplittableRandom random;
    private final StringBuilder text = new StringBuilder(16 * 1024);

    /** Reproducible per connection: the simulator's seed and the connection's ordinal. */
    FeedFrames(long seed, long ordinal) {
        this.random = new SplittableRandom(seed ^ (ordinal * 0xD1B54A32D192ED03L));
    }

    /** A {@code "trade"} frame of {@code size} trades of the batch's price walks, stamped now (minus jitter). */
    String trades(TradeBatch batch, int size) {
        text.setLength(0);
        text.append("{\"type\":\"trade\",\"data\":[");
        long now = System.currentTimeMillis();
        PriceWalk[] walks = batch.walks;
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                text.append(',');
            }
            int slot = walks.length == 1 ? 0 : random.nextInt(walks.length);
            walks[slot].appendNextTrade(text, now - random.nextInt(TIMESTAMP_JITTER_MS), batch.recorded);
            batch.tradesByWalk[slot]++;
        }
        batch.size = size;
        text.append("]}");
        return text.toString();
    }

    /** A frame of a type the real feed also sends and a trades client must ignore. */
    static String news(long id) {
        return "{\"type\":\"news\",\"data\":[{\"category\":\"crypto\",\"datetime\":"
                + System.currentTimeMillis() / 1000 + ",\"headline\":\"Simulated headline\",\"id\":"
                + id + ",\"source\":\"feed-simulator\"}]}";
    }
}
