package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.ingestor.IngestToKafkaIT.Topics;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A known token never shows up in logs, metrics or health output: not when all is well, not when it is refused. */
class SecretsIT {

    @Test
    void aRefusedTokenIsReportedClearlyAndNeverPrinted() {
        Topics topics = Topics.create("secrets");
        String wrong = "wrong-token-77aa88bb99cc";
        try (FeedSimulator simulator =
                        FeedSimulator.start(SimulatorConfig.defaults().withToken(IngestToKafkaIT.TOKEN));
                IngestorProcess ingestor =
                        PackagedIngestor.start("secrets-refused", IngestToKafkaIT.env(simulator, topics, wrong))) {
            await().atMost(Duration.ofSeconds(120)).until(() -> ingestor.log().contains("rejected the token"));
            assertThat(ingestor.status("/q/health/ready")).isEqualTo(503);
            assertNowhere(ingestor, wrong);
        }
    }

    @Test
    void aWorkingTokenIsNeverPrintedEvenWithDebugLoggingOfTheWebsocketClient() {
        Topics topics = Topics.create("secrets-ok");
        try (FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults()
                .withToken(IngestToKafkaIT.TOKEN)
                .withTradesPerSecond(500)
                .withMalformedEveryFrames(5)
                .withDropEveryTrades(500, io.streamingpipeline.simulator.DropMode.NORMAL)
                .withMaxDrops(2))) {
            Map<String, String> env =
                    new java.util.HashMap<>(IngestToKafkaIT.env(simulator, topics, IngestToKafkaIT.TOKEN));
            // The websocket client and Vert.x print connection details at DEBUG: the redaction filter must catch them.
            env.put("QUARKUS_LOG_CATEGORY__IO_VERTX__LEVEL", "DEBUG");
            env.put("QUARKUS_LOG_CATEGORY__IO_STREAMINGPIPELINE__LEVEL", "DEBUG");
            env.put("QUARKUS_LOG_CATEGORY__IO_NETTY__LEVEL", "DEBUG");
            try (IngestorProcess ingestor = PackagedIngestor.start("secrets-ok", env)) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> simulator.groundTruth().drops() >= 2 && ingestor.status("/q/health/ready") == 200);
                assertThat(ingestor.metrics().value("ingestor_trades_received_total"))
                        .isPositive();
                assertNowhere(ingestor, IngestToKafkaIT.TOKEN);
                ingestor.terminate(Duration.ofSeconds(60));
                assertThat(ingestor.log()).doesNotContain(IngestToKafkaIT.TOKEN);
            }
        }
    }

    private static void assertNowhere(IngestorProcess ingestor, String token) {
        for (String path :
                new String[] {"/q/health", "/q/health/ready", "/q/health/live", "/q/health/started", "/q/metrics"}) {
            assertThat(ingestor.get(path)).as(path).doesNotContain(token);
        }
        assertThat(ingestor.log()).as("console log").doesNotContain(token);
    }
}
