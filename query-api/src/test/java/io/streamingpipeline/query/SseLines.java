package io.streamingpipeline.query;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A server-sent-events client for tests: the {@code data:} lines of a stream, one by one. */
final class SseLines implements AutoCloseable {

    private final BlockingQueue<String> data = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final Thread reader;
    private volatile java.io.InputStream body;

    private SseLines(String url) {
        reader = new Thread(() -> read(url), "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static SseLines open(String url) {
        return new SseLines(url);
    }

    private void read(String url) {
        try {
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Accept", "text/event-stream")
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            status.complete(response.statusCode());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        data.add(line.substring(5).strip());
                    }
                }
            }
        } catch (Exception e) {
            status.completeExceptionally(e);
            data.add("ERROR " + e);
        }
    }

    /** The HTTP status of the answer (200: the stream is open). */
    int status(int seconds) throws Exception {
        return status.get(seconds, TimeUnit.SECONDS);
    }

    /** The next data line, or fails after {@code seconds}. */
    String next(int seconds) throws InterruptedException {
        String line = data.poll(seconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no server-sent event within " + seconds + " s");
        }
        return line;
    }

    @Override
    public void close() throws Exception {
        if (body != null) {
            body.close();
        }
        reader.interrupt();
    }
}
