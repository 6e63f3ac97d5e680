package io.streamingpipeline.simulator;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** One client-side Vert.x per test class; every test starts its own simulator. */
abstract class SimulatorTestBase {

    static final String BTC = "BINANCE:BTCUSDT";
    static final String ETH = "BINANCE:ETHUSDT";
    static final String AAPL = "AAPL";
    static final Duration PATIENCE = Duration.ofSeconds(20);

    static Vertx vertx;

    @BeforeAll
    static void startClientVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopClientVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Pings off so that tests see only what they ask for. */
    static SimulatorConfig quietConfig() {
        return SimulatorConfig.defaults().withPingInterval(Duration.ZERO);
    }
}
