package io.streamingpipeline.ingestor.health;

import io.streamingpipeline.ingestor.feed.FinnhubClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the feed connection is open and every symbol is subscribed. */
@Readiness
@ApplicationScoped
public class FeedReadinessCheck implements HealthCheck {

    private final FinnhubClient client;

    public FeedReadinessCheck(FinnhubClient client) {
        this.client = client;
    }

    @Override
    public HealthCheckResponse call() {
        FinnhubClient.State state = client.state();
        return HealthCheckResponse.named("finnhub-feed")
                .status(state == FinnhubClient.State.SUBSCRIBED)
                .withData("state", state.name().toLowerCase(java.util.Locale.ROOT))
                .withData("subscribedSymbols", client.subscribedSymbols())
                .withData("lastMessageAgeMs", client.lastMessageAge().toMillis())
                .build();
    }
}
