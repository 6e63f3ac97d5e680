package io.streamingpipeline.query.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.streamingpipeline.query.config.QueryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * At most {@code query.live.max-streams} live streams at once, whatever their symbols: a stream counts from the
 * request until it ends (the client leaves, or the service stops it); one more is refused with
 * {@link TooManyStreamsException} (429).
 */
@ApplicationScoped
public class LiveStreamLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter rejected;

    public LiveStreamLimit(QueryConfig config, MeterRegistry registry) {
        this.max = config.live().maxStreams();
        registry.gauge("query_live_streams", open);
        this.rejected = Counter.builder("query_live_streams_rejected")
                .description("Live streams refused (429) because query.live.max-streams were open")
                .register(registry);
    }

    /** {@code stream}, counted while it lasts; or {@link TooManyStreamsException} when the limit is reached. */
    public <T> Multi<T> admit(Supplier<Multi<T>> stream) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            rejected.increment();
            throw new TooManyStreamsException(max);
        }
        AtomicBoolean ended = new AtomicBoolean();
        Runnable end = () -> {
            if (ended.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        };
        try {
            return stream.get().onTermination().invoke(end);
        } catch (RuntimeException e) {
            end.run();
            throw e;
        }
    }
}
