package io.streamingpipeline.query.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in ingestor (ready, a published-trades counter that grows by 1000 per read, and feed gaps: 42.5 s idle, 1.25
 * s starting, disconnected for 7 s, ETHUSDT without a trade for 95 s) on 127.0.0.1, and a Spark
 * job URL where nothing listens: the page's pipeline state shows one UP with a rate, one UNREACHABLE. Its
 * {@code /health-requests} says how often the service read the health check.
 */
public class FakePipelineResource implements QuarkusTestResourceLifecycleManager {

    /** The ingestor's feed gap metrics, as its Prometheus registry writes them. */
    static final String FEED_GAPS = "# TYPE ingestor_feed_gap_seconds_total counter\n"
            + "ingestor_feed_gap_seconds_total{reason=\"closed\",} 0.0\n"
            + "ingestor_feed_gap_seconds_total{reason=\"idle\",} 42.5\n"
            + "ingestor_feed_gap_seconds_total{reason=\"starting\",} 1.25\n"
            + "# TYPE ingestor_feed_disconnected_seconds gauge\n"
            + "ingestor_feed_disconnected_seconds 7.0\n"
            + "# TYPE ingestor_feed_symbol_last_trade_age_seconds gauge\n"
            + "ingestor_feed_symbol_last_trade_age_seconds{symbol=\"BINANCE:BTCUSDT\",} 0.5\n"
            + "ingestor_feed_symbol_last_trade_age_seconds{symbol=\"BINANCE:ETHUSDT\",} 95.0\n";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        AtomicLong published = new AtomicLong();
        AtomicLong healthRequests = new AtomicLong();
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/q/health/ready", exchange -> {
            healthRequests.incrementAndGet();
            respond(exchange, 200, "{\"status\":\"UP\"}");
        });
        server.createContext(
                "/health-requests", exchange -> respond(exchange, 200, Long.toString(healthRequests.get())));
        server.createContext(
                "/q/metrics",
                exchange -> respond(
                        exchange,
                        200,
                        "# TYPE ingestor_trades_published_total counter\n"
                                + "ingestor_trades_published_total{symbol=\"a\"} " + published.addAndGet(600) + ".0\n"
                                + "ingestor_trades_published_total{symbol=\"b\"} " + published.addAndGet(400)
                                + ".0\n" + FEED_GAPS));
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "query.pipeline.ingestor.health-url", base + "/q/health/ready",
                "query.pipeline.ingestor.metrics-url", base + "/q/metrics",
                "query.pipeline.job.health-url", "http://127.0.0.1:" + closedPort() + "/health/ready");
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
