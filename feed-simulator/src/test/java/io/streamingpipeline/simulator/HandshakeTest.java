package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.UpgradeRejectedException;
import org.junit.jupiter.api.Test;

class HandshakeTest extends SimulatorTestBase {

    @Test
    void refusesAMissingOrWrongTokenWith401() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withToken("s3cret"))) {
            assertRejectedWith401(FeedTestClient.handshakeFailure(vertx, simulator, null));
            assertRejectedWith401(FeedTestClient.handshakeFailure(vertx, simulator, "wrong"));
            assertThat(FeedTestClient.handshakeFailure(vertx, simulator, "s3cret"))
                    .isNull();

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(simulator.groundTruth().handshakesRejected()).isEqualTo(2);
                assertThat(simulator.groundTruth().connectionsAccepted()).isEqualTo(1);
            });
        }
    }

    @Test
    void withoutAConfiguredTokenAcceptsAnyNonEmptyToken() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig())) {
            assertThat(FeedTestClient.handshakeFailure(vertx, simulator, "anything"))
                    .isNull();
            assertRejectedWith401(FeedTestClient.handshakeFailure(vertx, simulator, null));
            assertRejectedWith401(FeedTestClient.handshakeFailure(vertx, simulator, ""));
        }
    }

    @Test
    void aNewConnectionWithTheSameTokenClosesTheOlderOne() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig());
                FeedTestClient first = FeedTestClient.connect(vertx, simulator, "key-1");
                FeedTestClient other = FeedTestClient.connect(vertx, simulator, "key-2");
                FeedTestClient second = FeedTestClient.connect(vertx, simulator, "key-1")) {
            assertThat(first.closeStatus()).isEqualTo((short) 1000);
            second.subscribe(BTC);
            other.subscribe(BTC);
            await().atMost(PATIENCE).until(() -> second.totalTrades() > 0 && other.totalTrades() > 0);
            assertThat(second.isClosed()).isFalse();
            assertThat(other.isClosed()).isFalse();
            assertThat(simulator.activeConnections()).isEqualTo(2);
        }
    }

    @Test
    void neverShowsTheToken() {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig().withToken("s3cret"))) {
            assertThat(simulator.uri()).hasToString("ws://127.0.0.1:" + simulator.port() + "/");
            assertThat(simulator.config().toString()).doesNotContain("s3cret");
            assertThat(simulator.port()).isPositive();
        }
    }

    private static void assertRejectedWith401(Throwable failure) {
        assertThat(failure).isInstanceOf(UpgradeRejectedException.class);
        assertThat(((UpgradeRejectedException) failure).getStatus()).isEqualTo(401);
    }
}
