package io.streamingpipeline.ingestor.health;

import io.streamingpipeline.ingestor.publish.TradePublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Down while Kafka is not acknowledging what the ingestor sends (trades pending and no acknowledgement for
 * {@code ingestor.health.max-ack-delay}), or right after a record was lost. The Kafka connector's own readiness
 * check, which sees whether the broker is reachable, is reported next to this one.
 */
@Readiness
@ApplicationScoped
public class KafkaPublishingReadinessCheck implements HealthCheck {

    private final TradePublisher publisher;
    private final Duration maxAckDelay;

    public KafkaPublishingReadinessCheck(
            TradePublisher publisher,
            @ConfigProperty(name = "ingestor.health.max-ack-delay", defaultValue = "5s") Duration maxAckDelay) {
        this.publisher = publisher;
        this.maxAckDelay = maxAckDelay;
    }

    @Override
    public HealthCheckResponse call() {
        long pending = publisher.pending();
        long sinceAck = publisher.nanosSinceLastAck();
        long lastFailure = publisher.lastFailureNanos();
        boolean stalled = pending > 0 && sinceAck > maxAckDelay.toNanos();
        boolean recentLoss = lastFailure != 0
                && System.nanoTime() - lastFailure < maxAckDelay.toNanos()
                && lastFailure - publisher.lastAckNanos() > 0;
        return HealthCheckResponse.named("kafka-publishing")
                .status(!stalled && !recentLoss)
                .withData("pending", pending)
                .withData("msSinceLastAck", Duration.ofNanos(sinceAck).toMillis())
                .build();
    }
}
