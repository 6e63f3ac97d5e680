package io.streamingpipeline.query.health;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;
import io.smallrye.mutiny.Uni;
import io.streamingpipeline.query.cassandra.DriverErrors;
import io.streamingpipeline.query.config.QueryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Whether Cassandra answers now: {@code SELECT release_version FROM system.local} with a short timeout. Unlike the
 * extension's own check (disabled in application.properties), it never waits for a session that is still connecting.
 * Why it does not answer (hosts, driver messages) goes to the log when the answer changes, not into the result.
 */
@ApplicationScoped
public class CassandraProbe {

    /** {@code up}: Cassandra answered; {@code detail}: its version, or in a few words why not. */
    public record Result(boolean up, String detail) {}

    private static final Logger LOG = Logger.getLogger(CassandraProbe.class);
    private static final SimpleStatement QUERY =
            SimpleStatement.newInstance("SELECT release_version FROM system.local");
    static final String CONNECTING = "connecting: no Cassandra contact point has answered yet";
    static final String NO_SESSION = "the Cassandra session could not be created (see the service's log)";
    static final String NO_ANSWER = "Cassandra does not answer (see the service's log)";

    private final CompletionStage<QuarkusCqlSession> sessionStage;
    private final Duration timeout;
    /** The last result, to log changes only. */
    private final AtomicReference<String> last = new AtomicReference<>("");

    public CassandraProbe(CompletionStage<QuarkusCqlSession> sessionStage, QueryConfig config) {
        this.sessionStage = sessionStage;
        this.timeout = config.health().timeout();
    }

    public Uni<Result> check() {
        CompletableFuture<QuarkusCqlSession> session = sessionStage.toCompletableFuture();
        if (!session.isDone()) {
            return Uni.createFrom().item(down(CONNECTING, null));
        }
        if (session.isCompletedExceptionally()) {
            return Uni.createFrom()
                    .item(down(NO_SESSION, session.handle((s, e) -> e).join()));
        }
        return Uni.createFrom()
                .completionStage(() -> session.join().executeAsync(QUERY.setTimeout(timeout)))
                .map(rs -> {
                    var row = rs.one();
                    return up("Cassandra " + (row == null ? "?" : row.getString(0)));
                })
                .ifNoItem()
                .after(timeout.plusMillis(500))
                .failWith(() -> new IllegalStateException("no answer within " + timeout))
                .onFailure()
                .recoverWithItem(e -> down(NO_ANSWER, e));
    }

    private Result up(String detail) {
        if (!last.getAndSet(detail).equals(detail)) {
            LOG.infof("Cassandra answers (%s)", detail);
        }
        return new Result(true, detail);
    }

    private Result down(String detail, Throwable cause) {
        String reason = cause == null ? detail : detail + ": " + DriverErrors.describe(cause);
        if (!last.getAndSet(detail).equals(detail)) {
            LOG.warnf("Cassandra readiness DOWN: %s", reason);
        }
        return new Result(false, detail);
    }
}
