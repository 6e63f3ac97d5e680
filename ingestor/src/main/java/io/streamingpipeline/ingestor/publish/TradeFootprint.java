package io.streamingpipeline.ingestor.publish;

import io.streamingpipeline.contract.Trade;
import java.util.List;

/**
 * An upper estimate of the heap a {@link Trade} and its record hold while they wait for Kafka: the objects (trade,
 * UUID, strings, list) with their headers, on a 64-bit JVM with compressed references. What varies is the symbol
 * and the conditions; a trade with many conditions can weigh far more than its JSON.
 */
final class TradeFootprint {

    /** Trade, UUID, boxed-free fields, ProducerRecord and its callback, without the variable parts. */
    private static final long FIXED = 256;

    private static final long STRING = 48;
    private static final long LIST = 48;
    private static final long LIST_SLOT = 8;

    private TradeFootprint() {}

    static long bytes(Trade trade) {
        long bytes = FIXED + STRING + trade.symbol().length();
        List<String> conditions = trade.conditions();
        if (conditions != null) {
            bytes += LIST;
            for (int i = 0, n = conditions.size(); i < n; i++) {
                bytes += LIST_SLOT + STRING + conditions.get(i).length();
            }
        }
        return bytes;
    }
}
