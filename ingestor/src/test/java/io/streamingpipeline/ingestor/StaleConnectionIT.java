package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.contract.Trade;
import io.streamingpipeline.ingestor.IngestToKafkaIT.Topics;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.ingestor.testing.Tally;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.SharedKafka;
import io.streamingpipeline.localstack.kafka.TopicRecord;
import io.streamingpipeline.simulator.DropMode;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A connection that stalls but stays open, and sends again after the watchdog gave up on it (a slow path, not a dead
 * one). On the real feed its late trades are the same market trades the new connection carries: publishing both
 * would duplicate them. The ingestor closes the stale connection before it opens a new one, and what the stale one
 * still delivers is discarded and counted: every trade the simulator delivered is in Kafka exactly once or counted.
 */
class StaleConnectionIT {

    @Test
    void tradesOfAConnectionTheWatchdogGaveUpOnAreCountedNotPublished() throws Exception {
        Topics topics = Topics.create("stale");
        int tradesPerFrame = 20;
        SimulatorConfig config = SimulatorConfig.defaults()
                .withToken(IngestToKafkaIT.TOKEN)
                .withTradesPerSecond(2_000)
                .withTradesPerFrame(tradesPerFrame)
                .withPingInterval(Duration.ofMillis(500))
                .withDropEveryTrades(3_000, DropMode.STALL)
                .withMaxDrops(1)
                .withStallResumeAfter(Duration.ofSeconds(4))
                .withRecordTrades(true);
        try (FeedSimulator simulator = FeedSimulator.start(config)) {
            Map<String, String> env =
                    new java.util.HashMap<>(IngestToKafkaIT.env(simulator, topics, IngestToKafkaIT.TOKEN));
            env.put("FINNHUB_WATCHDOG_IDLE_TIMEOUT", "2s");
            try (IngestorProcess ingestor = PackagedIngestor.start("stale", env)) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> simulator.groundTruth().connectionsAccepted() >= 2
                                && simulator.groundTruth().totalTrades()
                                        >= 3_000 + SimulatorConfig.STALL_BURST_FRAMES * tradesPerFrame + 4_000);
                simulator.close();
                GroundTruth truth = simulator.groundTruth();

                Tally tally = OverloadIT.settled(ingestor, truth.totalTrades());
                PrometheusText metrics = ingestor.metrics();
                long burst = (long) SimulatorConfig.STALL_BURST_FRAMES * tradesPerFrame;
                assertThat(metrics.value("ingestor_feed_reconnects_total", "cause", "idle"))
                        .isEqualTo(1);
                // the held-back frames, and whatever the connection streamed before it read the ingestor's close
                assertThat(metrics.value("ingestor_frames_dropped_total", "reason", "stale_connection"))
                        .as("frames the stale connection sent after the watchdog gave up on it")
                        .isGreaterThanOrEqualTo(SimulatorConfig.STALL_BURST_FRAMES);
                long stale = (long) metrics.value("ingestor_trades_lost_total", "reason", "stale_connection");
                assertThat(stale).isGreaterThanOrEqualTo(burst);
                assertThat(tally.lost()).isEqualTo(stale);
                assertThat(tally.accounted()).as("published + rejected + lost").isEqualTo(truth.totalTrades());
                assertThat(tally.published()).isEqualTo(truth.totalTrades() - stale);
                assertThat(metrics.value("ingestor_feed_gap_seconds_total", "reason", "idle"))
                        .as("the gap counts from the last message")
                        .isGreaterThanOrEqualTo(2.0);

                List<TopicRecord> records = SharedKafka.readAll(topics.trades(), Duration.ofSeconds(30));
                assertThat(records).hasSize((int) tally.published());
                Set<Object> ids = new HashSet<>();
                for (TopicRecord r : records) {
                    assertThat(ids.add(IngestToKafkaIT.JSON
                                    .readValue(r.value(), Trade.class)
                                    .id()))
                            .as("unique id")
                            .isTrue();
                }
            }
        }
    }
}
