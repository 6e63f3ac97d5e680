package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest extends SimulatorTestBase {

    @TempDir
    static Path dir;

    static TlsKeyStore stores;

    @BeforeAll
    static void createStores() {
        stores = TlsKeyStore.selfSigned(dir);
    }

    @Test
    void aClientTrustingTheCertificateGetsTradesOverWss() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withTls(stores));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            assertThat(simulator.uri().getScheme()).isEqualTo("wss");
            client.subscribe(BTC);
            await().atMost(PATIENCE).until(() -> client.totalTrades() >= 200);
            client.unsubscribe(BTC);
            await().atMost(PATIENCE)
                    .untilAsserted(() ->
                            assertThat(simulator.groundTruth().tradesBySymbol()).isEqualTo(client.tradesBySymbol()));
        }
    }

    @Test
    void aClientWithTheJdkTrustRefusesTheSelfSignedCertificate() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withTls(stores))) {
            WebSocketClient client = vertx.createWebSocketClient(
                    new WebSocketClientOptions().setSsl(true).setVerifyHost(true));
            try {
                Throwable failure = client.connect(new WebSocketConnectOptions()
                                .setHost("127.0.0.1")
                                .setPort(simulator.port())
                                .setSsl(true)
                                .setURI("/?token=t"))
                        .toCompletionStage()
                        .toCompletableFuture()
                        .handle((socket, error) -> error)
                        .get(10, TimeUnit.SECONDS);
                assertThat(failure).isInstanceOf(SSLHandshakeException.class);
                assertThat(simulator.groundTruth().connectionsAccepted()).isZero();
            } finally {
                client.close();
            }
        }
    }

    @Test
    void theStoresAreReadableWithTheirPasswordWhichToStringHides() throws Exception {
        for (Path store : new Path[] {stores.keyStore(), stores.trustStore()}) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, stores.password().toCharArray());
            }
            assertThat(ks.size()).isEqualTo(1);
        }
        assertThat(stores.toString()).doesNotContain(stores.password());
        assertThat(String.join(" ", stores.clientTrustJvmOptions()))
                .contains(stores.trustStore().toString());
    }
}
