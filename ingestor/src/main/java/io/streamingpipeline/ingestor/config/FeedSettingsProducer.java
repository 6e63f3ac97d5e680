package io.streamingpipeline.ingestor.config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

/** Validates the configuration while the application starts, so that a wrong setting stops it at once. */
@ApplicationScoped
public class FeedSettingsProducer {

    @Produces
    @Singleton
    @Startup(Interceptor.Priority.PLATFORM_BEFORE)
    FeedSettings feedSettings(FeedConfig config) {
        try {
            return FeedSettings.from(config);
        } catch (InvalidConfigurationException e) {
            // One plain line to read first; Quarkus then prints its own start-up failure.
            Log.error("Configuration error: " + e.getMessage());
            throw e;
        }
    }
}
