package io.streamingpipeline.bench;

import io.streamingpipeline.localstack.ingestor.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs on 127.0.0.1 (the job's and the floor query's health and metrics), 5 s each; a failure is an empty answer. */
final class LocalHttp {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LocalHttp() {}

    /** {@code /metrics} on {@code port}; empty when it does not answer 200. */
    static PrometheusText metrics(int port) {
        try {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new PrometheusText(r.statusCode() == 200 ? r.body() : "");
        } catch (IOException e) {
            return new PrometheusText("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PrometheusText("");
        }
    }

    /** The HTTP status of {@code path} on {@code port}, -1 when it does not answer. */
    static int status(int port, String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
