package io.streamingpipeline.spark.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A small HTTP endpoint on the driver for probes and scraping: {@code GET /health/live}, {@code /health/ready}
 * (200 with {@code {"status":"UP"}}, or 503 with the problems) and {@code /metrics} (Prometheus text).
 */
public final class HealthServer implements AutoCloseable {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    public static final String METRICS = "/metrics";

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param port 0 for any free port (see {@link #port()})
     */
    public static HealthServer start(String bindAddress, int port, StreamingHealth health, PipelineMetrics metrics)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-endpoint");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(LIVE, exchange -> check(exchange, health::liveness));
        server.createContext(READY, exchange -> check(exchange, health::readiness));
        server.createContext(METRICS, exchange -> {
            if (allowed(exchange)) {
                respond(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(health, metrics));
            }
        });
        server.start();
        return new HealthServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void check(HttpExchange exchange, Supplier<StreamingHealth.Check> check) throws IOException {
        if (!allowed(exchange)) {
            return;
        }
        StreamingHealth.Check result = check.get();
        StringBuilder json = new StringBuilder("{\"status\":\"")
                .append(result.up() ? "UP" : "DOWN")
                .append('"');
        if (!result.problems().isEmpty()) {
            json.append(",\"problems\":[");
            for (int i = 0; i < result.problems().size(); i++) {
                json.append(i == 0 ? "" : ",")
                        .append('"')
                        .append(jsonEscape(result.problems().get(i)))
                        .append('"');
            }
            json.append(']');
        }
        json.append("}\n");
        respond(exchange, result.up() ? 200 : 503, "application/json", json.toString());
    }

    private static boolean allowed(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respond(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
        return false;
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    private static String jsonEscape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
