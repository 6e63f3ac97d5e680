package io.streamingpipeline.query.health;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.quarkus.runtime.api.session.QuarkusCqlSession;
import io.smallrye.mutiny.Uni;
import io.streamingpipeline.query.cassandra.DriverErrors;
import jakarta.enterprise.context.ApplicationScoped;
import io.streamingpipeline.query.config.QueryConfig;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether Cassandra answers now: {@code SELECT release_version FROM system.local} with a short timeout. Unlike the
 * extension's own check (disabled in application.properties), it never waits for a session that is still connecting.
 */
@ApplicationScoped
public class CassandraProbe {

    /** {@code up}: Cassandra answered; {@code detail}: its version, or why not. */
    public record Result(boolean up, String detail) {
    }

    private static final SimpleStatement QUERY = SimpleStatement.newInstance("SELECT release_version FROM system.local");

    private final CompletionStage<QuarkusCqlSession> sessionStage;
    private final Duration timeout;

    public CassandraProbe(CompletionStage<QuarkusCqlSession> sessionStage,
                          QueryConfig config) {
        this.sessionStage = sessionStage;
        this.timeout = config.health().timeout();
    }

    public Uni<Result> check() {
        CompletableFuture<QuarkusCqlSession> session = sessionStage.toCompletableFuture();
        if (!session.isDone()) {
            return Uni.createFrom().item(new Result(false, "connecting: no Cassandra contact point has answered yet"));
        }
        if (session.isCompletedExceptionally()) {
            return Uni.createFrom().item(new Result(false, "the Cassandra session could not be created: "
                    + DriverErrors.describe(session.handle((s, e) -> e).join())));
        }
        return Uni.createFrom().completionStage(() -> session.join().executeAsync(QUERY.setTimeout(timeout)))
                .map(rs -> {
                    var row = rs.one();
                    return new Result(true, "Cassandra " + (row == null ? "?" : row.getString(0)));
                })
                .ifNoItem().after(timeout.plusMillis(500)).failWith(() -> new IllegalStateException("no answer within " + timeout))
                .onFailure().recoverWithItem(e -> new Result(false, DriverErrors.describe(e)));
    }
}
