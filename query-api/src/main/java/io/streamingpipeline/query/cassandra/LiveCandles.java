package io.streamingpipeline.query.cassandra;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.streamingpipeline.query.config.QueryConfig;
import io.streamingpipeline.query.domain.Candle;
import io.streamingpipeline.query.domain.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Live candle updates for one client: every {@code query.live.poll-interval} the candles of the last
 * {@code query.live.window} are read, and those new or changed since the previous read are emitted. A failed read
 * (Cassandra down) emits nothing and the stream goes on, so clients recover by themselves.
 */
@ApplicationScoped
public class LiveCandles {

    private static final Logger LOG = Logger.getLogger(LiveCandles.class);
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private final MarketDataStore store;
    private final Duration interval;
    private final Duration window;

    public LiveCandles(MarketDataStore store, QueryConfig config) {
        this.store = store;
        this.interval = config.live().pollInterval();
        this.window = config.live().window();
    }

    public Multi<Candle> stream(String symbol) {
        return Multi.createFrom().deferred(() -> {
            Map<Long, Candle> sent = new HashMap<>();
            return Multi.createFrom().ticks().every(interval)
                    .onOverflow().drop()
                    .onItem().transformToUniAndConcatenate(tick -> latest(symbol))
                    .onItem().transformToIterable(candles -> changed(candles, sent));
        });
    }

    private Uni<List<Candle>> latest(String symbol) {
        long now = System.currentTimeMillis();
        long to = (now / MINUTE + 1) * MINUTE;
        TimeRange range = new TimeRange(to - window.toMillis() - MINUTE, to);
        return store.candles(symbol, range).onFailure().recoverWithItem(e -> {
            LOG.debugf("live candles of %s: read failed, retrying next tick: %s", symbol, DriverErrors.describe(e));
            return List.of();
        });
    }

    /** The candles not sent yet or changed since; forgets minutes that left the window. */
    static List<Candle> changed(List<Candle> candles, Map<Long, Candle> sent) {
        List<Candle> changed = new ArrayList<>();
        long oldest = Long.MAX_VALUE;
        for (Candle candle : candles) {
            oldest = Math.min(oldest, candle.minuteStart());
            if (!candle.equals(sent.get(candle.minuteStart()))) {
                sent.put(candle.minuteStart(), candle);
                changed.add(candle);
            }
        }
        long cutoff = oldest;
        if (!candles.isEmpty()) {
            sent.keySet().removeIf(minute -> minute < cutoff);
        }
        return changed;
    }
}
