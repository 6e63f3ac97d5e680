package io.streamingpipeline.simulator;

import java.util.List;

/**
 * One trade element that the simulator delivered, as a client should have parsed it.
 *
 * @param symbol            {@code s}
 * @param price             {@code p}
 * @param timestamp         {@code t}, UNIX milliseconds
 * @param volume            {@code v}
 * @param conditions        {@code c}, or null when it was null or absent
 * @param conditionsAbsent  true when the element had no {@code c} key at all (rather than {@code "c":null})
 */
public record DeliveredTrade(
        String symbol, double price, long timestamp, double volume, List<String> conditions, boolean conditionsAbsent) {

    public DeliveredTrade {
        conditions = conditions == null ? null : List.copyOf(conditions);
    }
}
