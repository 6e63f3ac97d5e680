package io.streamingpipeline.query.pipeline;

import io.smallrye.mutiny.Uni;
import io.streamingpipeline.query.config.QueryConfig;
import io.streamingpipeline.query.health.CassandraProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The state of the pipeline for the page, read server-side (the browser needs no CORS): the ingestor's and the Spark
 * job's readiness and the rate of one counter of each (rows/s between two reads), the ingestor's feed gaps
 * ({@link FeedGaps}), and this service's Cassandra. One
 * reading answers every request for {@code query.pipeline.cache-ttl}, however many viewers ask. The answer names no
 * URL and no exception message: why a component is unreachable goes to the log when its state changes.
 */
@ApplicationScoped
public class PipelineStatus {

    private record Sample(long nanos, double value, Double rate) {}

    private static final Logger LOG = Logger.getLogger(PipelineStatus.class);

    private final QueryConfig.Pipeline config;
    private final CassandraProbe cassandra;
    private final HttpClient http;
    private final Map<String, Sample> samples = new ConcurrentHashMap<>();
    /** The last status of each component, to log changes only. */
    private final Map<String, String> lastStatus = new ConcurrentHashMap<>();

    private final Uni<List<ComponentStatus>> cached;

    public PipelineStatus(QueryConfig config, CassandraProbe cassandra) {
        this.config = config.pipeline();
        this.cassandra = cassandra;
        this.http =
                HttpClient.newBuilder().connectTimeout(this.config.timeout()).build();
        Uni<List<ComponentStatus>> fresh = Uni.createFrom().deferred(this::readNow);
        Duration ttl = this.config.cacheTtl();
        this.cached = ttl.isZero() ? fresh : fresh.memoize().atLeast(ttl);
    }

    /** The state, read at most {@code query.pipeline.cache-ttl} ago. */
    public Uni<List<ComponentStatus>> read() {
        return cached;
    }

    private Uni<List<ComponentStatus>> readNow() {
        Uni<ComponentStatus> db =
                cassandra.check().map(r -> new ComponentStatus("cassandra", r.up() ? "UP" : "DOWN", r.detail()));
        return Uni.combine()
                .all()
                .unis(component("ingestor", config.ingestor(), true), component("job", config.job(), false), db)
                .with((ingestor, job, c) -> List.of(ingestor, job, c));
    }

    private Uni<ComponentStatus> component(String name, QueryConfig.Component component, boolean feed) {
        if (component.healthUrl().isEmpty()) {
            return Uni.createFrom()
                    .item(new ComponentStatus(name, "NOT_CONFIGURED", "set query.pipeline." + name + ".health-url"));
        }
        Uni<HttpResponse<String>> health = get(component.healthUrl().get());
        Uni<Optional<HttpResponse<String>>> metrics = component.metricsUrl().isEmpty()
                ? Uni.createFrom().item(Optional.empty())
                : get(component.metricsUrl().get())
                        .map(Optional::of)
                        .onFailure()
                        .recoverWithItem(Optional.empty());
        URI healthUrl = component.healthUrl().get();
        return Uni.combine()
                .all()
                .unis(health, metrics)
                .with((h, m) -> {
                    String status = h.statusCode() == 200 ? "UP" : "DOWN";
                    Optional<String> text = m.filter(r -> r.statusCode() == 200).map(HttpResponse::body);
                    Double rate = text.map(body -> rate(name, PrometheusText.sum(body, component.rateMetric())))
                            .orElse(null);
                    FeedGaps gaps = feed ? text.map(FeedGaps::read).orElse(null) : null;
                    logChange(name, status, healthUrl + " answered HTTP " + h.statusCode());
                    return new ComponentStatus(
                            name, status, "health check answered HTTP " + h.statusCode(), rate, gaps);
                })
                .onFailure()
                .recoverWithItem(e -> {
                    logChange(
                            name,
                            "UNREACHABLE",
                            healthUrl + ": "
                                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                    return new ComponentStatus(name, "UNREACHABLE", "no answer from its health check");
                });
    }

    private void logChange(String name, String status, String why) {
        String previous = lastStatus.put(name, status);
        if (status.equals(previous)) {
            return;
        }
        if (status.equals("UP")) {
            LOG.infof("pipeline state: %s is UP (%s)", name, why);
        } else {
            LOG.warnf("pipeline state: %s is %s (%s)", name, status, why);
        }
    }

    private Double rate(String name, OptionalDouble value) {
        if (value.isEmpty()) {
            return null;
        }
        long now = System.nanoTime();
        Sample next = samples.compute(name, (key, previous) -> {
            if (previous == null) {
                return new Sample(now, value.getAsDouble(), null);
            }
            double seconds = (now - previous.nanos()) / 1e9;
            if (seconds < 0.5) {
                return previous; // several viewers polling at once: keep the last rate
            }
            double rate = Math.max(0, (value.getAsDouble() - previous.value()) / seconds);
            return new Sample(now, value.getAsDouble(), rate);
        });
        return next.rate();
    }

    private Uni<HttpResponse<String>> get(URI uri) {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(config.timeout()).GET().build();
        return Uni.createFrom()
                .completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .ifNoItem()
                .after(config.timeout().plus(Duration.ofMillis(500)))
                .fail();
    }
}
