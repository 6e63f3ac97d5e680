package io.streamingpipeline.spark.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener.QueryIdleEvent;
import org.apache.spark.sql.streaming.StreamingQueryListener.QueryStartedEvent;
import org.apache.spark.sql.streaming.StreamingQueryListener.QueryTerminatedEvent;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.Option;

/** Listener events in, probe answers and Prometheus text out; no query runs here (see StreamingPipelineTest). */
class HealthEndpointTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-24T16:00:00Z"));
    private final StreamingHealth health =
            new StreamingHealth(Set.of("trades", "candles"), Duration.ofMinutes(2), clock);
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final HttpClient http = HttpClient.newHttpClient();
    private final UUID tradesId = UUID.randomUUID();
    private final UUID candlesId = UUID.randomUUID();
    private HealthServer server;

    @BeforeEach
    void start() throws Exception {
        server = HealthServer.start("127.0.0.1", 0, health, metrics);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void notReadyUntilEveryQueryFinishedABatchThenReady() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/health/ready").body())
                .contains("query candles has not started", "query trades has not started");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);

        health.onQueryStarted(new QueryStartedEvent(
                tradesId, UUID.randomUUID(), "trades", clock.instant().toString()));
        health.onQueryStarted(new QueryStartedEvent(
                candlesId, UUID.randomUUID(), "candles", clock.instant().toString()));
        assertThat(get("/health/ready").body())
                .contains("query trades has not finished a micro-batch (nor reported being idle) yet");

        health.progress(progress(tradesId, "trades", 0, null, 0));
        health.progress(progress(candlesId, "candles", 0, "2025-11-24T15:59:30.000Z", 0));
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}\n");
        assertThat(ready.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void aRestartedQueryWithNothingToReadIsReadyOnceIdle() throws Exception {
        health.onQueryStarted(new QueryStartedEvent(
                tradesId, UUID.randomUUID(), "trades", clock.instant().toString()));
        health.onQueryStarted(new QueryStartedEvent(
                candlesId, UUID.randomUUID(), "candles", clock.instant().toString()));
        clock.advance(Duration.ofSeconds(10));
        health.onQueryIdle(
                new QueryIdleEvent(tradesId, UUID.randomUUID(), clock.instant().toString()));
        health.onQueryIdle(
                new QueryIdleEvent(candlesId, UUID.randomUUID(), clock.instant().toString()));
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void notReadyWhenProgressStopsButIdleEventsCount() throws Exception {
        startedWithOneBatchEach();
        clock.advance(Duration.ofMinutes(3));
        assertThat(get("/health/ready").body()).contains("query trades reported no progress for 180 s");
        health.onQueryIdle(
                new QueryIdleEvent(tradesId, UUID.randomUUID(), clock.instant().toString()));
        health.onQueryIdle(
                new QueryIdleEvent(candlesId, UUID.randomUUID(), clock.instant().toString()));
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailedQueryMakesTheDriverNotLive() throws Exception {
        startedWithOneBatchEach();
        health.onQueryTerminated(new QueryTerminatedEvent(
                candlesId, UUID.randomUUID(), Option.apply("java.io.IOException: Cassandra is down\n\tat somewhere")));
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body())
                .isEqualTo(
                        "{\"status\":\"DOWN\",\"problems\":[\"query candles failed: java.io.IOException: Cassandra is down\"]}\n");
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        assertThat(get("/metrics").body()).contains("trades_job_query_active{query=\"candles\"} 0\n");
    }

    @Test
    void metricsServeTheListenersNumbers() throws Exception {
        startedWithOneBatchEach();
        health.progress(progress(tradesId, "trades", 7, null, 0));
        health.progress(progress(candlesId, "candles", 7, "2025-11-24T16:00:30.000Z", 4));
        metrics.rejected("invalid_price", 2);
        metrics.rejected("malformed_json", 1);
        metrics.written("crypto_trades", 1500);
        metrics.written("crypto_candles_1m", 12);
        metrics.writeTook("crypto_trades", 500_000_000L);
        metrics.writeTook("crypto_trades", 250_000_000L);
        metrics.offsetsSkipped(1000);
        clock.advance(Duration.ofSeconds(5));

        HttpResponse<String> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains("# TYPE trades_job_query_input_rows_per_second gauge\n")
                .contains("trades_job_ready 1\n")
                .contains("trades_job_query_last_batch_id{query=\"trades\"} 7\n")
                .contains("trades_job_query_input_rows_per_second{query=\"trades\"} 250.5\n")
                .contains("trades_job_query_processed_rows_per_second{query=\"trades\"} 300\n")
                .contains("trades_job_query_batch_duration_seconds{query=\"trades\"} 1.2\n")
                .contains("trades_job_query_input_rows_total{query=\"trades\"} 2000\n")
                .contains("trades_job_query_last_progress_age_seconds{query=\"trades\"} 5\n")
                .contains("trades_job_kafka_max_offsets_behind_latest{query=\"trades\"} 42\n")
                .contains("trades_job_kafka_avg_offsets_behind_latest{query=\"trades\"} 17.5\n")
                .doesNotContain("watermark")
                .contains("# TYPE trades_job_rejected_total counter\n")
                .contains("trades_job_rejected_total{reason=\"invalid_price\"} 2\n")
                .contains("trades_job_rejected_total{reason=\"malformed_json\"} 1\n")
                .contains("trades_job_rows_written_total{sink=\"crypto_trades\"} 1500\n")
                .contains("trades_job_rows_written_total{sink=\"crypto_candles_1m\"} 12\n")
                .contains("# TYPE trades_job_sink_write_seconds summary\n")
                .contains("trades_job_sink_write_seconds_sum{sink=\"crypto_trades\"} 0.75\n")
                .contains("trades_job_sink_write_seconds_count{sink=\"crypto_trades\"} 2\n")
                .contains("# TYPE trades_job_kafka_offsets_skipped_total counter\n")
                .contains("trades_job_kafka_offsets_skipped_total 1000\n");
    }

    @Test
    void onlyGetAndUnknownPaths() throws Exception {
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(uri("/metrics"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
    }

    private void startedWithOneBatchEach() {
        health.onQueryStarted(new QueryStartedEvent(
                tradesId, UUID.randomUUID(), "trades", clock.instant().toString()));
        health.onQueryStarted(new QueryStartedEvent(
                candlesId, UUID.randomUUID(), "candles", clock.instant().toString()));
        health.progress(progress(tradesId, "trades", 0, null, 0));
        health.progress(progress(candlesId, "candles", 0, "2025-11-24T15:59:30.000Z", 0));
    }

    private static StreamingQueryProgress progress(UUID id, String name, long batchId, String watermark, long dropped) {
        Map<String, String> sourceMetrics = new HashMap<>();
        sourceMetrics.put("maxOffsetsBehindLatest", "42");
        sourceMetrics.put("avgOffsetsBehindLatest", "17.5");
        sourceMetrics.put("minOffsetsBehindLatest", "0");
        StateOperatorProgress[] state = dropped == 0
                ? new StateOperatorProgress[0]
                : new StateOperatorProgress[] {
                    new StateOperatorProgress("stateStoreSave", 10, 1, 0, 0, 0, 0, 0, dropped, 0, 2, new HashMap<>())
                };
        Map<String, String> eventTime = new HashMap<>();
        if (watermark != null) {
            eventTime.put("watermark", watermark);
        }
        return TestProgress.of(
                id, name, batchId, TestProgress.kafkaSource("{}", "{}", sourceMetrics), state, eventTime);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
