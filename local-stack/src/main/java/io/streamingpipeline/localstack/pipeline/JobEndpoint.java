package io.streamingpipeline.localstack.pipeline;

import io.streamingpipeline.localstack.ingestor.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The Spark job's health endpoint on the driver ({@code /health/live}, {@code /health/ready}, {@code /metrics}). */
final class JobEndpoint {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;

    JobEndpoint(int port) {
        this.port = port;
    }

    int status(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    Optional<PrometheusText> metrics() {
        try {
            HttpResponse<String> r = HTTP.send(request("/metrics"), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(new PrometheusText(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .build();
    }
}
