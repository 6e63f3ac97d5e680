package io.streamingpipeline.query.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.streamingpipeline.query.cassandra.DriverErrors;
import io.streamingpipeline.query.cassandra.MarketDataStore;
import io.streamingpipeline.query.config.QueryConfig;
import io.streamingpipeline.query.domain.Candle;
import io.streamingpipeline.query.domain.TimeRange;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Live candle updates. One poller per watched symbol, however many clients watch it: every
 * {@code query.live.poll-interval} it reads the candles of the last {@code query.live.window} once and hands them to
 * every client of the symbol; each client's stream emits those new or changed since it last sent them (so a client
 * that joins gets the whole window with the next poll). A poller stops when its last client leaves. A failed read
 * (Cassandra down) hands nothing on and polling goes on, so clients recover by themselves.
 */
@ApplicationScoped
public class LiveCandles {

    private static final Logger LOG = Logger.getLogger(LiveCandles.class);
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private final MarketDataStore store;
    private final Duration interval;
    private final Duration window;
    private final Counter polls;
    /** Guarded by {@code this}. */
    private final Map<String, SymbolPoller> pollers = new HashMap<>();

    public LiveCandles(MarketDataStore store, QueryConfig config, MeterRegistry registry) {
        this.store = store;
        this.interval = config.live().pollInterval();
        this.window = config.live().window();
        this.polls = Counter.builder("query_live_polls")
                .description("Reads of the latest candles by the live pollers")
                .register(registry);
        registry.gauge("query_live_pollers", this, LiveCandles::pollerCount);
    }

    /** The candles of {@code symbol} as they appear or change, for one client. */
    public Multi<Candle> stream(String symbol) {
        return Multi.createFrom().deferred(() -> {
            Map<Long, Candle> sent = new HashMap<>();
            return Multi.createFrom()
                    .<List<Candle>>emitter(emitter -> {
                        Consumer<List<Candle>> client = emitter::emit;
                        join(symbol, client);
                        emitter.onTermination(() -> leave(symbol, client));
                        if (emitter.isCancelled()) { // cancelled before onTermination was registered
                            leave(symbol, client);
                        }
                    })
                    // a client that does not keep up gets the latest window, which holds every candle it still needs
                    .onOverflow()
                    .dropPreviousItems()
                    .onItem()
                    .transformToIterable(candles -> changed(candles, sent));
        });
    }

    private synchronized void join(String symbol, Consumer<List<Candle>> client) {
        pollers.computeIfAbsent(symbol, SymbolPoller::new).clients.add(client);
    }

    private synchronized void leave(String symbol, Consumer<List<Candle>> client) {
        SymbolPoller poller = pollers.get(symbol);
        if (poller != null && poller.clients.remove(client) && poller.clients.isEmpty()) {
            pollers.remove(symbol);
            poller.polling.cancel();
        }
    }

    synchronized int pollerCount() {
        return pollers.size();
    }

    /** The reads of one symbol, shared by its clients. */
    private final class SymbolPoller {
        final Set<Consumer<List<Candle>>> clients = new CopyOnWriteArraySet<>();
        final Cancellable polling;

        SymbolPoller(String symbol) {
            polling = Multi.createFrom()
                    .ticks()
                    .startingAfter(Duration.ofMillis(1))
                    .every(interval)
                    .onOverflow()
                    .drop()
                    .onItem()
                    .transformToUniAndConcatenate(tick -> latest(symbol))
                    .subscribe()
                    .with(candles -> clients.forEach(client -> client.accept(candles)));
        }
    }

    private Uni<List<Candle>> latest(String symbol) {
        polls.increment();
        long now = System.currentTimeMillis();
        long to = (now / MINUTE + 1) * MINUTE;
        TimeRange range = new TimeRange(to - window.toMillis() - MINUTE, to);
        return store.candles(symbol, range).map(List::copyOf).onFailure().recoverWithItem(e -> {
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
