package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.streamingpipeline.ingestor.testing.FeedSimulatorResource;
import io.streamingpipeline.ingestor.testing.Metrics;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.simulator.FeedSimulator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Probes and metrics as Kubernetes and Prometheus see them; the token shows up in none of them. */
@QuarkusTest
@WithTestResource(FeedSimulatorResource.class)
class IngestorEndpointsTest {

    FeedSimulator simulator;

    @Test
    void readinessIsUpOnceSubscribedAndLivenessAndStartedAreUp() {
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> RestAssured.get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("UP"))
                        .body("checks.name", hasItem("finnhub-feed"))
                        .body("checks.find { it.name == 'finnhub-feed' }.data.state", equalTo("subscribed"))
                        .body("checks.find { it.name == 'finnhub-feed' }.data.subscribedSymbols", equalTo(3)));
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        assertThat(simulator.groundTruth().subscribes()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void metricsCoverTheFeedAndThePublisher() {
        await().atMost(Duration.ofSeconds(90))
                .until(() -> Metrics.scrape().value("ingestor_trades_published_total") > 0
                        || Metrics.scrape().value("ingestor_trades_received_total") > 100);
        PrometheusText m = Metrics.scrape();
        assertThat(m.text())
                .contains(
                        "ingestor_trades_received_total",
                        "ingestor_trades_published_total",
                        "ingestor_trades_rejected_total{reason=\"invalid_price\"",
                        "ingestor_trades_lost_total{reason=\"buffer_full\"",
                        "ingestor_feed_connection_state",
                        "ingestor_feed_last_message_age_seconds",
                        "ingestor_feed_lag_seconds",
                        "ingestor_publish_latency_seconds",
                        "ingestor_producer_errors_total",
                        "ingestor_publish_pending");
        assertThat(m.value("ingestor_feed_connection_state")).isEqualTo(3.0);
        assertThat(m.value("ingestor_feed_last_message_age_seconds")).isLessThan(5.0);
    }

    @Test
    void theTokenAppearsInNoEndpoint() {
        await().atMost(Duration.ofSeconds(90))
                .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        for (String path :
                new String[] {"/q/health", "/q/health/ready", "/q/health/live", "/q/health/started", "/q/metrics"}) {
            assertThat(RestAssured.get(path).asString()).as(path).doesNotContain(FeedSimulatorResource.TOKEN);
        }
    }
}
