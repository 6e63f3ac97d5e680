package io.streamingpipeline.bench;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.LogTail;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What feeds the pipeline in a benchmark: a load simulator and the probe simulator through a {@link FeedMux}, and a
 * packaged ingestor reading the mux as its Finnhub feed and publishing to the stack's Kafka.
 */
final class FeedUnderTest implements AutoCloseable {

    final FeedSimulator load;
    final FeedSimulator probe;
    final FeedMux mux;
    final IngestorProcess ingestor;
    private final int probeRate;
    private boolean stopped;

    private FeedUnderTest(
            FeedSimulator load, FeedSimulator probe, FeedMux mux, IngestorProcess ingestor, int probeRate) {
        this.load = load;
        this.probe = probe;
        this.mux = mux;
        this.ingestor = ingestor;
        this.probeRate = probeRate;
    }

    /** Everything started, the ingestor ready; on a failure what started is stopped again. */
    static FeedUnderTest start(LatencyOptions o, Path work, PipelineUnderTest stack, int rate, String logName) {
        int loadRate = rate - o.probeRate;
        FeedSimulator load = FeedSimulator.start(SimulatorConfig.defaults()
                .withSeed(System.currentTimeMillis())
                .withTradesPerSecond(loadRate)
                .withTradesPerFrame(Math.max(1, Math.min(100, loadRate / 50)))
                .withPingInterval(Duration.ofSeconds(30))
                .withDuplicateProbability(0));
        FeedSimulator probe = null;
        FeedMux mux = null;
        IngestorProcess ingestor = null;
        try {
            probe = FeedSimulator.start(SimulatorConfig.defaults()
                    .withSeed(7)
                    .withTradesPerSecond(o.probeRate)
                    .withTradesPerFrame(1)
                    .withPingInterval(Duration.ofSeconds(30))
                    .withDuplicateProbability(0)
                    .withRecordTrades(true));
            mux = FeedMux.start(load.uri(), probe.uri(), LatencyBenchmark.PROBE_SYMBOL);
            List<String> symbols = new ArrayList<>(IngestBenchmark.SYMBOLS);
            symbols.add(LatencyBenchmark.PROBE_SYMBOL);
            ingestor = startIngestor(o, work, stack, mux, symbols, logName);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (ingestor.status("/q/health/ready") != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ingestor not ready:\n" + LogTail.of(ingestor.logFile(), 30));
                }
                Pause.millis(200);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  ingestor ready in %.1f s (pid %d)%n",
                    ingestor.startDuration().toMillis() / 1000.0,
                    ingestor.pid());
            return new FeedUnderTest(load, probe, mux, ingestor, o.probeRate);
        } catch (RuntimeException e) {
            new FeedUnderTest(load, probe, mux, ingestor, o.probeRate).close();
            throw e;
        }
    }

    /** The whole feed at {@code rate} trades/s (load + probe) from now on, on the open connections. */
    void changeRate(int rate) {
        load.changeTradesPerSecond(rate - probeRate);
    }

    PhaseCounters counters(PipelineUnderTest stack) {
        return PhaseCounters.read(stack, ingestor, load, probe);
    }

    /** Probe trades the probe simulator delivered whose trade time is in [from, to). */
    long probeDeliveredBetween(long fromMillis, long toMillis) {
        return probe.deliveredTrades().stream()
                .filter(t -> t.timestamp() >= fromMillis && t.timestamp() < toMillis)
                .count();
    }

    /**
     * The feed first (the ingestor may still hold a queue of received frames), then SIGTERM: the ingestor flushes to
     * Kafka. The probe simulator before the mux: it counts a trade as delivered once written to its socket, so the mux
     * must forward what it has read; closing the mux first lost a probe trade now and then ("1 lost before Kafka" in
     * some runs, with the ingestor's own loss counter at 0).
     */
    void stop() {
        probe.close();
        if (!mux.awaitSessionsClosed(Duration.ofSeconds(10))) {
            System.out.println("  (the feed mux still had a connection 10 s after the probe simulator closed)");
        }
        load.close();
        mux.close();
        try {
            ingestor.terminate(Duration.ofSeconds(60));
        } catch (IllegalStateException killed) {
            System.out.println(
                    "  (the ingestor did not stop within 60 s of SIGTERM, still working through the frames it had"
                            + " received; killed: what it held is lost)");
        }
        stopped = true;
    }

    /** After {@link #stop()} nothing is left; without it (a failure) everything is stopped at once. */
    @Override
    public void close() {
        if (!stopped && ingestor != null) {
            ingestor.kill();
        }
        if (mux != null) {
            mux.close();
        }
        if (probe != null) {
            probe.close();
        }
        load.close();
    }

    /**
     * The packaged ingestor on a free HTTP port; tried again (up to 3 times) when another process took the port between
     * its pick and the ingestor's bind, which happens on a machine this busy.
     */
    private static IngestorProcess startIngestor(
            LatencyOptions o, Path work, PipelineUnderTest stack, FeedMux mux, List<String> symbols, String logName) {
        for (int attempt = 1; ; attempt++) {
            try {
                return IngestorProcess.builder(o.ingestorApp)
                        .log(work.resolve("ingestor-" + logName + (attempt > 1 ? "-" + attempt : "") + ".log"))
                        .jvmOptions(o.ingestorJvm.trim().split("\\s+"))
                        .env(
                                TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS,
                                stack.kafka().bootstrapServers())
                        .env("FINNHUB_URL", mux.uri().toString())
                        .env(TradeContract.Env.FINNHUB_TOKEN, "bench")
                        .env("FINNHUB_SYMBOLS", String.join(",", symbols))
                        .env("MP_MESSAGING_OUTGOING_TRADES_LINGER_MS", o.lingerMs)
                        .start();
            } catch (EngineStartException e) {
                if (attempt >= 3 || e.getMessage() == null || !e.getMessage().contains("in use")) {
                    throw e;
                }
                System.out.println("  (the ingestor's HTTP port was taken before it bound it; starting it again)");
            }
        }
    }
}
