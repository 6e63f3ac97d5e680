package io.streamingpipeline.simulator;

import java.util.ArrayList;
import java.util.List;

/** One generated {@code "trade"} frame and what it holds, counted once its write has completed. */
final class TradeBatch {

    final PriceWalk[] walks;
    final int[] tradesByWalk;
    final List<DeliveredTrade> recorded;
    int size;

    TradeBatch(PriceWalk[] walks, boolean record, int capacity) {
        this.walks = walks;
        this.tradesByWalk = new int[walks.length];
        this.recorded = record ? new ArrayList<>(capacity) : null;
    }
}
