package io.streamingpipeline.ingestor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingpipeline.ingestor.IngestToKafkaIT.Topics;
import io.streamingpipeline.ingestor.testing.PackagedIngestor;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.localstack.kafka.SharedKafka;
import io.streamingpipeline.localstack.kafka.TopicRecord;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Input the simulator does not send, from a scripted feed: a binary message, an error frame, a valid trade too large
 * for a Kafka request, a message over the size limit. Each is counted, and dead-lettered where it can be.
 */
class UncountedPathsIT {

    static final String SYMBOL = "BINANCE:BTCUSDT";

    @Test
    void binaryMessagesOversizedTradesAndOversizedMessagesAreCountedOrDeadLettered() throws Exception {
        Topics topics = Topics.create("uncounted");
        Vertx vertx = Vertx.vertx();
        AtomicInteger connections = new AtomicInteger();
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                            .setHost("127.0.0.1")
                            .setPort(0)
                            .setMaxWebSocketFrameSize(1 << 20)
                            .setMaxWebSocketMessageSize(1 << 20))
                    .webSocketHandler(ws -> ws.textMessageHandler(subscribe -> {
                        int connection = connections.incrementAndGet();
                        // as a feed does, some time after the subscription rather than in the same instant
                        vertx.setTimer(500, id -> script(ws, connection));
                    }))
                    .listen()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            Map<String, String> env = new HashMap<>();
            env.put("FINNHUB_URL", "ws://127.0.0.1:" + server.actualPort() + "/");
            env.put("FINNHUB_TOKEN", IngestToKafkaIT.TOKEN);
            env.put("FINNHUB_SYMBOLS", SYMBOL);
            env.put("FINNHUB_RECONNECT_INITIAL_BACKOFF", "200ms");
            env.put("FINNHUB_MAX_MESSAGE_BYTES", "65536");
            env.put("MP_MESSAGING_OUTGOING_TRADES_MAX_REQUEST_SIZE", "8192");
            env.put("KAFKA_BOOTSTRAP_SERVERS", topics.bootstrap());
            env.put("TRADES_TOPIC", topics.trades());
            env.put("TRADES_DLQ_TOPIC", topics.deadLetters());
            try (IngestorProcess ingestor = PackagedIngestor.start("uncounted", env)) {
                await().atMost(Duration.ofSeconds(120))
                        .until(() -> ingestor.metrics().value("ingestor_trades_published_total") >= 10
                                && connections.get() >= 2);
                Thread.sleep(2_000);
                PrometheusText m = ingestor.metrics();
                System.out.println(m.text()
                        .lines()
                        .filter(l -> l.startsWith("ingestor_feed_gap"))
                        .toList());
                assertThat(m.value("ingestor_trades_published_total")).isEqualTo(10);
                assertThat(m.value("ingestor_trades_received_total")).isEqualTo(11);
                assertThat(m.value("ingestor_trades_rejected_total", "reason", "too_large"))
                        .as("the oversized valid trade")
                        .isEqualTo(1);
                assertThat(m.value("ingestor_trades_rejected_total", "reason", "malformed_frame"))
                        .as("the binary message")
                        .isEqualTo(1);
                assertThat(m.value("ingestor_trades_lost_total")).isZero();
                assertThat(m.value("ingestor_feed_errors_total", "kind", "too_many_symbols"))
                        .isEqualTo(1);
                assertThat(m.value("ingestor_frames_dropped_total", "reason", "too_large"))
                        .as("the message over the limit")
                        .isEqualTo(1);
                assertThat(m.value("ingestor_feed_gap_seconds_total", "reason", "too_large"))
                        .as("the time without a feed after the message over the limit closed the connection")
                        .isPositive();

                List<TopicRecord> letters = SharedKafka.readAtLeast(topics.deadLetters(), 2, Duration.ofSeconds(30));
                Map<String, Integer> byReason = new TreeMap<>();
                for (TopicRecord r : letters) {
                    JsonNode letter = IngestToKafkaIT.JSON.readTree(r.value());
                    byReason.merge(letter.get("reason").asText(), 1, Integer::sum);
                }
                assertThat(byReason).isEqualTo(Map.of("malformed_frame", 1, "too_large", 1));
                assertThat(ingestor.log()).contains("FINNHUB_MAX_MESSAGE_BYTES");
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** The first connection gets every odd input, then a message over the limit; the next ones get five trades. */
    private static void script(ServerWebSocket ws, int connection) {
        long now = System.currentTimeMillis();
        ws.writeTextMessage(trades(now, 5));
        if (connection == 1) {
            ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3, 4}));
            ws.writeTextMessage("{\"type\":\"error\",\"msg\":\"Subscribing to too many symbols\"}");
            StringBuilder conditions = new StringBuilder("[");
            for (int i = 0; i < 2_000; i++) {
                conditions.append(i == 0 ? "" : ",").append("\"").append(i).append("\"");
            }
            ws.writeTextMessage("{\"type\":\"trade\",\"data\":[{\"s\":\"" + SYMBOL + "\",\"p\":1.5,\"t\":" + now
                    + ",\"v\":1,\"c\":" + conditions + "]}]}");
            ws.writeTextMessage(
                    "{\"type\":\"trade\",\"data\":[" + "{\"s\":\"X\",\"p\":1,\"t\":1,\"v\":1},".repeat(5_000) + "]}");
        }
    }

    private static String trades(long now, int n) {
        StringBuilder b = new StringBuilder("{\"type\":\"trade\",\"data\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"s\":\"")
                    .append(SYMBOL)
                    .append("\",\"p\":")
                    .append(100 + i)
                    .append(",\"t\":")
                    .append(now)
                    .append(",\"v\":0.5,\"c\":null}");
        }
        return b.append("]}").toString();
    }
}
