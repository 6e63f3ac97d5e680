package io.streamingpipeline.spark;

import io.streamingpipeline.spark.candles.Candle;
import io.streamingpipeline.spark.candles.CandleStore;
import io.streamingpipeline.spark.candles.MergedCandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deterministic faults for the tests on the real engines, set by driver system properties (never by a job option:
 * nothing an operator configures turns them on). Without the properties nothing changes.
 * <ul>
 *   <li>{@value #HALT_AFTER_CANDLES_OF_BATCH}{@code =N}: the driver JVM halts (no shutdown hook, nothing committed)
 *   right after the candles of micro-batch N are written, i.e. between the candle write and Spark's commit;</li>
 *   <li>{@value #HOLD_CANDLE_WRITES_UNTIL}{@code =<file>}: each candle write waits, after its read, until the file
 *   exists: another driver can merge the same candles in between.</li>
 * </ul>
 */
final class FaultInjection {

    static final String HALT_AFTER_CANDLES_OF_BATCH = "trades.fault.halt-after-candles-of-batch";
    static final String HOLD_CANDLE_WRITES_UNTIL = "trades.fault.hold-candle-writes-until";

    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);

    private FaultInjection() {}

    /** Halts the JVM if told to after the candles of this batch. */
    static void afterCandlesOf(long batchId) {
        Long haltAfter = Long.getLong(HALT_AFTER_CANDLES_OF_BATCH);
        if (haltAfter != null && haltAfter == batchId) {
            LOG.error(
                    "Fault injection ({}): halting the driver after the candles of batch {}",
                    HALT_AFTER_CANDLES_OF_BATCH,
                    batchId);
            Runtime.getRuntime().halt(137);
        }
    }

    /** The store, or one whose writes wait for the file of {@value #HOLD_CANDLE_WRITES_UNTIL}. */
    static CandleStore candleStore(CandleStore store) {
        String gate = System.getProperty(HOLD_CANDLE_WRITES_UNTIL);
        return gate == null ? store : new HeldWrites(store, gate);
    }

    private record HeldWrites(CandleStore store, String gate) implements CandleStore {

        @Override
        public Map<Candle.Key, MergedCandle> read(Collection<Candle.Key> keys, boolean latest) {
            return store.read(keys, latest);
        }

        @Override
        public Set<Candle.Key> write(Collection<CandleWrite> writes) {
            LOG.warn(
                    "Fault injection ({}): holding {} candle writes until {} exists",
                    HOLD_CANDLE_WRITES_UNTIL,
                    writes.size(),
                    gate);
            while (!Files.exists(Path.of(gate))) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return store.write(writes);
        }
    }
}
