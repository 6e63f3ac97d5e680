package io.streamingpipeline.ingestor.testing;

import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Samples the resident memory of an ingestor every 200 ms and keeps the largest value. */
public final class RssSampler implements AutoCloseable {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rss-sampler");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong maxMegabytes = new AtomicLong(-1);

    public RssSampler(IngestorProcess ingestor) {
        timer.scheduleAtFixedRate(
                () -> maxMegabytes.accumulateAndGet(ingestor.rssMegabytes(), Math::max), 0, 200, TimeUnit.MILLISECONDS);
    }

    public long maxMegabytes() {
        return maxMegabytes.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
