package io.streamingpipeline.query.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while Cassandra answers; DOWN (503 on /q/health/ready) while it does not, UP again when it returns. */
@Readiness
@ApplicationScoped
public class CassandraReadinessCheck implements AsyncHealthCheck {

    private final CassandraProbe probe;

    public CassandraReadinessCheck(CassandraProbe probe) {
        this.probe = probe;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.check()
                .map(result -> HealthCheckResponse.named("cassandra")
                        .status(result.up())
                        .withData(result.up() ? "version" : "reason", result.detail())
                        .build());
    }
}
