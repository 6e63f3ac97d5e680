package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline for about a minute: the feed simulator (recording what it delivers; ~750 trades/s over 4
 * symbols, a malformed frame after every 20th trade frame, exact duplicates now and then) → the packaged ingestor →
 * Kafka → the Spark job on the standalone cluster → Cassandra. Then the feed stops, the job catches up, and the
 * accounting is exact: Cassandra holds the delivered trades and nothing else (per symbol, as multisets on every
 * field), the candles equal a plain-Java computation from the delivered trades, the dead-letter topic holds one
 * record per malformed frame with the expected reason.
 */
class EndToEndAccountingIT {

    private static final List<String> SYMBOLS =
            List.of("BINANCE:BTCUSDT", "BINANCE:ETHUSDT", "COINBASE:BTC-USD", "BINANCE:SOLUSDT");
    private static final int RATE = 750;
    private static final Duration FEED = Duration.ofSeconds(60);

    @TempDir
    Path workDir;

    @Test
    void everyDeliveredTradeLandsExactlyOnceAndTheCandlesAndDeadLettersAreExact() {
        long t0 = System.nanoTime();
        try (PipelineRun run = PipelineRun.onSharedEngines("e2e-accounting", SYMBOLS, workDir)) {
            run.prepareAndSubmit();
            run.startFeed(SimulatorConfig.defaults()
                    .withSeed(20240611L)
                    .withTradesPerSecond(RATE)
                    .withTradesPerFrame(50)
                    .withMalformedEveryFrames(20)
                    .withPingInterval(Duration.ofSeconds(5)));
            PipelineRun.sleep(FEED.toMillis());
            // the job is streaming, not just starting: rows arrive while the feed runs
            assertThat(run.rowCount())
                    .as("rows in Cassandra after %s of feed", FEED)
                    .isGreaterThan(0);
            run.stopFeed();

            PipelineRun.Accounting accounting = run.awaitCatchUpAndAccount(Duration.ofSeconds(120), false);
            var metrics = run.ingestor().metrics();
            PipelineRun.report(accounting + " ingestorPublished=" + metrics.value("ingestor_trades_published_total")
                    + " ingestorLost=" + metrics.value("ingestor_trades_lost_total")
                    + " wallSeconds=" + (System.nanoTime() - t0) / 1_000_000_000);

            assertThat(accounting.delivered()).as("trades delivered").isGreaterThan(RATE * 30L);
            assertThat(accounting.malformedFrames())
                    .as("malformed frames injected")
                    .isGreaterThanOrEqualTo(10);
            assertThat(accounting.problems()).as(accounting.toString()).isEmpty();
            assertThat(accounting.rows()).isEqualTo(accounting.delivered());
            assertThat(metrics.value("ingestor_trades_published_total")).isEqualTo(accounting.delivered());
            assertThat(metrics.value("ingestor_trades_lost_total")).isZero();
            assertThat(run.unplannedDriverRestarts()).isZero();
            assertThat(run.driver().isAlive()).isTrue();
        }
    }
}
