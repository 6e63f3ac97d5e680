package io.streamingpipeline.query.bench;

import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stream cap under many clients: {@code clients} live streams of one symbol requested at once from a service
 * that allows {@code cap}. Checks that exactly {@code cap} are accepted (each receiving candles) and the rest answered
 * 429, then runs wrk against the candles endpoint while the accepted streams stay open, and reads how often the
 * service polled Cassandra for them meanwhile.
 */
final class StreamCapPhase {

    private StreamCapPhase() {}

    /** The phase's one line ({@code STREAMS ...}); throws when the cap did not hold. */
    static String run(IngestorProcess app, String candlesUrl, int cap, int clients, int connections, int seconds)
            throws Exception {
        String symbol = candlesUrl.replaceAll(".*/api/candles/([^?]+).*", "$1");
        URI live = URI.create("http://127.0.0.1:" + app.httpPort() + "/api/candles/" + symbol + "/live");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        System.err.printf("stream cap: %d live streams requested at once, the service allows %d ...%n", clients, cap);

        List<CompletableFuture<HttpResponse<InputStream>>> requests = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            requests.add(http.sendAsync(
                    HttpRequest.newBuilder(live)
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        }
        List<InputStream> open = new ArrayList<>();
        int rejected = 0;
        int other = 0;
        CountDownLatch firstEvents = new CountDownLatch(cap);
        AtomicInteger withEvents = new AtomicInteger();
        try {
            for (CompletableFuture<HttpResponse<InputStream>> request : requests) {
                HttpResponse<InputStream> response;
                try {
                    response = request.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    other++;
                    continue;
                }
                if (response.statusCode() == 200) {
                    open.add(response.body());
                    readUntilFirstEvent(response.body(), withEvents, firstEvents);
                } else {
                    if (response.statusCode() == 429) {
                        rejected++;
                    } else {
                        other++;
                    }
                    response.body().readAllBytes();
                    response.body().close();
                }
            }
            firstEvents.await(30, TimeUnit.SECONDS);
            System.err.printf(
                    "stream cap: %d accepted (%d with candles), %d answered 429, %d other; wrk %d s meanwhile%n",
                    open.size(), withEvents.get(), rejected, other, seconds);

            double pollsBefore = app.metrics().value("query_live_polls_total");
            long started = System.nanoTime();
            QueryBenchmark.WrkResult during = QueryBenchmark.wrk(candlesUrl, connections, seconds);
            double pollsPerSecond = (app.metrics().value("query_live_polls_total") - pollsBefore)
                    / ((System.nanoTime() - started) / 1e9);
            int ready = app.status("/q/health/ready");

            String line = String.format(
                    "STREAMS cap=%d clients=%d accepted=%d rejected_429=%d other=%d with_events=%d "
                            + "live_polls_per_s=%.1f candles_per_s=%.0f candles_p99_ms=%.2f ready=%d errors=%s",
                    cap,
                    clients,
                    open.size(),
                    rejected,
                    other,
                    withEvents.get(),
                    pollsPerSecond,
                    during.perSecond(),
                    during.p99Millis(),
                    ready,
                    during.errors().isEmpty() ? "none" : during.errors().replace(' ', '_'));
            boolean held = open.size() == Math.min(cap, clients)
                    && rejected == clients - open.size()
                    && other == 0
                    && withEvents.get() == open.size()
                    && during.errors().isEmpty()
                    && ready == 200;
            if (!held) {
                throw new IllegalStateException("the stream cap did not hold: " + line);
            }
            return line;
        } finally {
            for (InputStream stream : open) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // the stream is gone either way
                }
            }
        }
    }

    /** Reads the stream on a daemon thread until its first candle (then keeps it open, unread, until closed). */
    private static void readUntilFirstEvent(InputStream body, AtomicInteger withEvents, CountDownLatch firstEvents) {
        Thread reader = new Thread(
                () -> {
                    try {
                        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                        String line;
                        while ((line = lines.readLine()) != null) {
                            if (line.startsWith("data:") && line.contains("\"minute_start\"")) {
                                withEvents.incrementAndGet();
                                firstEvents.countDown();
                                return;
                            }
                        }
                    } catch (IOException ignored) {
                        // closed: counted as a stream without events
                    }
                },
                "stream-cap-reader");
        reader.setDaemon(true);
        reader.start();
    }
}
