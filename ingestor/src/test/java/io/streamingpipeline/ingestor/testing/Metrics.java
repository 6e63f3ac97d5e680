package io.streamingpipeline.ingestor.testing;

import io.restassured.RestAssured;
import io.streamingpipeline.localstack.ingestor.PrometheusText;

/** {@code /q/metrics} of the application under {@code @QuarkusTest}. */
public final class Metrics {

    private Metrics() {}

    public static PrometheusText scrape() {
        return new PrometheusText(RestAssured.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }
}
