package io.streamingpipeline.spark.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens to the session's streaming queries and keeps, per query name, what liveness, readiness and metrics need.
 * Spark calls the listener on its listener-bus thread; the health endpoint reads from another, hence the
 * immutable {@link QueryStatus} snapshots.
 *
 * <p>Live: no query has failed (a failed query ends the job, and the pod is restarted). Ready: every expected
 * query is running, has finished a micro-batch or reported being idle, has sent a progress or idle event within
 * the progress timeout
 * (Spark sends an idle event every {@code spark.sql.streaming.noDataProgressEventInterval}, 10 s by default, when
 * there is no data), and none failed.
 */
public final class StreamingHealth extends StreamingQueryListener {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingHealth.class);

    /** The result of a readiness or liveness check: {@code problems} is empty when it passes. */
    public record Check(boolean up, List<String> problems) {}

    private final Set<String> expectedQueries;
    private final Duration progressTimeout;
    private final Clock clock;
    private final Map<UUID, String> namesById = new ConcurrentHashMap<>();
    private final Map<String, QueryStatus> byName = new ConcurrentHashMap<>();

    /**
     * @param expectedQueries names of the queries that must all run for the job to be ready
     * @param progressTimeout not ready when a query sent no progress or idle event for this long
     */
    public StreamingHealth(Set<String> expectedQueries, Duration progressTimeout, Clock clock) {
        this.expectedQueries = Set.copyOf(expectedQueries);
        this.progressTimeout = progressTimeout;
        this.clock = clock;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        String name = event.name() == null ? event.id().toString() : event.name();
        namesById.put(event.id(), name);
        byName.put(
                name,
                new QueryStatus(
                        name,
                        true,
                        clock.instant(),
                        false,
                        -1,
                        0,
                        0,
                        0,
                        0,
                        OptionalLong.empty(),
                        OptionalDouble.empty(),
                        null));
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        progress(event.progress());
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        // Idle: the query polled its source and found nothing new; as good as a finished batch for readiness
        // (a restarted job with no new data only ever sends these).
        byName.computeIfPresent(
                nameOf(event.id()),
                (name, s) -> new QueryStatus(
                        name,
                        s.active(),
                        clock.instant(),
                        true,
                        s.lastBatchId(),
                        0,
                        0,
                        s.batchDurationMillis(),
                        s.inputRowsTotal(),
                        s.maxOffsetsBehindLatest(),
                        s.avgOffsetsBehindLatest(),
                        s.failure()));
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        String failure = event.exception().isDefined() ? event.exception().get() : null;
        if (failure != null) {
            LOG.error("Streaming query {} failed: {}", nameOf(event.id()), failure);
        }
        byName.computeIfPresent(
                nameOf(event.id()),
                (name, s) -> new QueryStatus(
                        name,
                        false,
                        s.lastSignal(),
                        s.madeProgress(),
                        s.lastBatchId(),
                        0,
                        0,
                        s.batchDurationMillis(),
                        s.inputRowsTotal(),
                        s.maxOffsetsBehindLatest(),
                        s.avgOffsetsBehindLatest(),
                        failure));
    }

    /** Takes in one progress report (public so that tests can feed reports without running a query). */
    public void progress(StreamingQueryProgress p) {
        String name = p.name() == null ? p.id().toString() : p.name();
        namesById.putIfAbsent(p.id(), name);
        long maxBehind = -1;
        double avgBehind = -1;
        for (SourceProgress source : p.sources()) {
            Map<String, String> metrics = source.metrics();
            if (metrics != null) {
                maxBehind = Math.max(maxBehind, parseLong(metrics.get("maxOffsetsBehindLatest")));
                avgBehind = Math.max(avgBehind, parseDouble(metrics.get("avgOffsetsBehindLatest")));
            }
        }
        Long duration = p.durationMs() == null ? null : p.durationMs().get("triggerExecution");
        OptionalLong lag = maxBehind >= 0 ? OptionalLong.of(maxBehind) : OptionalLong.empty();
        OptionalDouble avgLag = avgBehind >= 0 ? OptionalDouble.of(avgBehind) : OptionalDouble.empty();
        byName.compute(
                name,
                (n, s) -> new QueryStatus(
                        n,
                        s == null || s.active(),
                        clock.instant(),
                        true,
                        p.batchId(),
                        finite(p.inputRowsPerSecond()),
                        finite(p.processedRowsPerSecond()),
                        duration == null ? 0 : duration,
                        (s == null ? 0 : s.inputRowsTotal()) + p.numInputRows(),
                        lag,
                        avgLag,
                        s == null ? null : s.failure()));
    }

    /** Statuses by query name, in name order. */
    public Map<String, QueryStatus> queries() {
        Map<String, QueryStatus> copy = new LinkedHashMap<>();
        byName.keySet().stream().sorted().forEach(name -> copy.put(name, byName.get(name)));
        return copy;
    }

    public Check liveness() {
        List<String> problems = new ArrayList<>();
        byName.values().stream()
                .filter(s -> s.failure() != null)
                .forEach(s -> problems.add("query " + s.name() + " failed: " + firstLine(s.failure())));
        return new Check(problems.isEmpty(), problems);
    }

    public Check readiness() {
        Instant now = clock.instant();
        List<String> problems = new ArrayList<>(liveness().problems());
        for (String name : expectedQueries.stream().sorted().toList()) {
            QueryStatus s = byName.get(name);
            if (s == null) {
                problems.add("query " + name + " has not started");
            } else if (s.failure() == null && !s.active()) {
                problems.add("query " + name + " is stopped");
            } else if (s.failure() == null && !s.madeProgress()) {
                problems.add("query " + name + " has not finished a micro-batch (nor reported being idle) yet");
            } else if (s.failure() == null
                    && Duration.between(s.lastSignal(), now).compareTo(progressTimeout) > 0) {
                problems.add("query " + name + " reported no progress for "
                        + Duration.between(s.lastSignal(), now).toSeconds() + " s");
            }
        }
        return new Check(problems.isEmpty(), problems);
    }

    public Clock clock() {
        return clock;
    }

    private String nameOf(UUID id) {
        return namesById.getOrDefault(id, id.toString());
    }

    private static long parseLong(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double parseDouble(String text) {
        try {
            return text == null ? -1 : Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 0;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
