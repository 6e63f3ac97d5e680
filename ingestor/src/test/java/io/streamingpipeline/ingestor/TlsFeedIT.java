package io.streamingpipeline.ingestor;

import static io.streamingpipeline.ingestor.IngestToKafkaIT.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingpipeline.ingestor.IngestToKafkaIT.Topics;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.kafka.SharedKafka;
import io.streamingpipeline.localstack.kafka.TopicRecord;
import io.streamingpipeline.simulator.FeedSimulator;
import io.streamingpipeline.simulator.GroundTruth;
import io.streamingpipeline.simulator.SimulatorConfig;
import io.streamingpipeline.simulator.TlsKeyStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged ingestor on {@code wss://}, as it reads the real feed: the simulator serves TLS with a self-signed
 * certificate, which the ingestor trusts only when its JVM's trust store holds it.
 */
class TlsFeedIT {

    @TempDir
    static Path dir;

    static TlsKeyStore stores;

    @BeforeAll
    static void createStores() {
        stores = TlsKeyStore.selfSigned(dir);
    }

    @Test
    void overWssWithTheCertificateTrustedEveryTradeReachesKafka() throws Exception {
        Topics topics = Topics.create("tls");
        SimulatorConfig config = SimulatorConfig.defaults()
                .withTls(stores)
                .withToken(TOKEN)
                .withTradesPerSecond(2000)
                .withTradesPerFrame(20)
                .withRecordTrades(true);
        List<String> jvmOptions = new ArrayList<>(stores.clientTrustJvmOptions());
        jvmOptions.add("-Xmx512m");
        try (FeedSimulator simulator = FeedSimulator.start(config);
                IngestorProcess ingestor = PackagedIngestor.start(
                        "tls-trusted",
                        IngestToKafkaIT.env(simulator, topics, TOKEN),
                        jvmOptions.toArray(String[]::new))) {
            assertThat(simulator.uri().getScheme()).isEqualTo("wss");
            await().atMost(Duration.ofSeconds(120)).until(() -> ingestor.status("/q/health/ready") == 200);
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> simulator.groundTruth().totalTrades() >= 6_000);
            simulator.close();
            GroundTruth truth = simulator.groundTruth();

            await().atMost(Duration.ofSeconds(120))
                    .until(() -> SharedKafka.recordCount(topics.trades()) >= truth.totalTrades());
            List<TopicRecord> records = SharedKafka.readAll(topics.trades(), Duration.ofSeconds(30));
            assertThat(records).hasSize((int) truth.totalTrades());
            IngestToKafkaIT.assertSameTradesPerSymbol(simulator.deliveredTrades(), records);
            assertThat(ingestor.metrics().value("ingestor_trades_lost_total")).isZero();
            assertThat(ingestor.log()).doesNotContain(TOKEN).doesNotContain(stores.password());
        }
    }

    @Test
    void aCertificateTheJvmDoesNotTrustIsRefusedWithAClearErrorAndRetried() throws Exception {
        Topics topics = Topics.create("tls_untrusted");
        SimulatorConfig config = SimulatorConfig.defaults().withTls(stores).withToken(TOKEN);
        try (FeedSimulator simulator = FeedSimulator.start(config);
                IngestorProcess ingestor =
                        PackagedIngestor.start("tls-untrusted", IngestToKafkaIT.env(simulator, topics, TOKEN))) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            ingestor.metrics().value("ingestor_feed_reconnects_total", "cause", "connect_failed") >= 3);
            assertThat(ingestor.status("/q/health/ready")).isEqualTo(503);
            assertThat(ingestor.isAlive()).isTrue();
            assertThat(simulator.groundTruth().connectionsAccepted()).isZero();
            assertThat(SharedKafka.recordCount(topics.trades())).isZero();
            assertThat(ingestor.log())
                    .contains("The TLS handshake with " + simulator.uri() + " failed")
                    .contains("javax.net.ssl.trustStore")
                    .doesNotContain(TOKEN);
        }
    }
}
