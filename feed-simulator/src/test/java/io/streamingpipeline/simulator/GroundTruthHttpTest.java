package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class GroundTruthHttpTest extends SimulatorTestBase {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void groundTruthOverHttpHasTheSameNumbersAsTheJavaApi() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(
                        quietConfig().withTradesPerSecond(20_000).withMalformedEveryFrames(4));
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC, ETH);
            await().atMost(PATIENCE).until(() -> client.totalTrades() > 1_000);
            client.unsubscribe(BTC, ETH);
            await().atMost(PATIENCE)
                    .until(() -> simulator.groundTruth().tradesBySymbol().equals(client.tradesBySymbol()));

            HttpResponse<String> response = get(simulator, "/ground-truth");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(response.body())
                    .contains(
                            "\"totalTrades\":", "\"tradesBySymbol\":{\"BINANCE:BTCUSDT\":", "\"malformedByReason\":{");
            GroundTruth overHttp = GroundTruth.fromJson(response.body());
            assertThat(overHttp).isEqualTo(simulator.groundTruth());
            assertThat(overHttp.tradesBySymbol()).isEqualTo(client.tradesBySymbol());
        }
    }

    @Test
    void healthAndResetAndUnknownPaths() throws Exception {
        try (FeedSimulator simulator = FeedSimulator.start(quietConfig());
                FeedTestClient client = FeedTestClient.connect(vertx, simulator, "t")) {
            client.subscribe(BTC);
            await().atMost(PATIENCE).until(() -> simulator.groundTruth().totalTrades() > 0);
            client.unsubscribe(BTC);
            Thread.sleep(100);

            simulator.resetGroundTruth();
            assertThat(simulator.groundTruth().totalTrades()).isZero();
            assertThat(simulator.groundTruth().tradesBySymbol()).isEmpty();

            HttpResponse<String> health = get(simulator, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(get(simulator, "/nope").statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(FeedSimulator simulator, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
