package io.streamingpipeline.ingestor.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.streamingpipeline.simulator.DropMode;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Runs a feed simulator for a {@code @QuarkusTest} class and points the ingestor at it. Tests get the instance in a
 * field of type {@link FeedSimulator}. Arguments: {@code symbols}, {@code maxSymbols}, {@code rate}, and for faults
 * {@code dropEveryTrades}, {@code dropMode}, {@code maxDrops}, {@code idleTimeout} (the ingestor's watchdog).
 */
public class FeedSimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** A recognisable secret: tests assert that it never shows up. */
    public static final String TOKEN = "test-token-9f8e7d6c5b4a";

    public static final String SYMBOLS = "BINANCE:BTCUSDT,BINANCE:ETHUSDT,COINBASE:BTC-USD";

    private FeedSimulator simulator;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        this.args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        SimulatorConfig config = SimulatorConfig.defaults()
                .withToken(TOKEN)
                .withTradesPerSecond(Integer.parseInt(args.getOrDefault("rate", "2000")))
                .withTradesPerFrame(20)
                .withPingInterval(Duration.ofMillis(500))
                .withMaxSymbolsPerConnection(Integer.parseInt(args.getOrDefault("maxSymbols", "50")))
                .withMalformedEveryFrames(9)
                .withUnknownTypeEveryFrames(13)
                .withRecordTrades(true);
        if (args.containsKey("dropEveryTrades")) {
            config = config.withDropEveryTrades(
                            Long.parseLong(args.get("dropEveryTrades")), DropMode.valueOf(args.get("dropMode")))
                    .withMaxDrops(Integer.parseInt(args.getOrDefault("maxDrops", "1")));
        }
        if (args.containsKey("idleTimeout")) {
            config = config.withPingInterval(Duration.ZERO);
        }
        simulator = FeedSimulator.start(config);
        return Map.of(
                "finnhub.url",
                simulator.uri().toString(),
                "finnhub.token",
                TOKEN,
                "finnhub.symbols",
                args.getOrDefault("symbols", SYMBOLS),
                "finnhub.reconnect.initial-backoff",
                "100ms",
                "finnhub.reconnect.max-backoff",
                "1s",
                "finnhub.watchdog.idle-timeout",
                args.getOrDefault("idleTimeout", "150s"));
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(simulator, new TestInjector.MatchesType(FeedSimulator.class));
    }

    @Override
    public void stop() {
        if (simulator != null) {
            simulator.close();
        }
    }
}
