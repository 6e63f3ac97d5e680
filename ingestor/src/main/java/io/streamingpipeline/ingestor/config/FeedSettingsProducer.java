package io.streamingpipeline.ingestor.config;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Validates the configuration while the application starts, so that a wrong setting stops it at once. */
@ApplicationScoped
public class FeedSettingsProducer {

    @Produces
    @Singleton
    @Startup
    FeedSettings feedSettings(FeedConfig config) {
        return FeedSettings.from(config);
    }
}
