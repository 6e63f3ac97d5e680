package io.streamingpipeline.ingestor.feed;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with jitter: attempt {@code n} waits {@code min(max, initial * 2^n)}, of which the
 * fraction {@code jitter} is replaced by a random share, so that many clients do not reconnect in step.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final double jitter;
    private final DoubleSupplier random;

    public Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("need 0 < initial <= max and 0 <= jitter <= 1");
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.jitter = jitter;
        this.random = random;
    }

    /** The delay before reconnect attempt {@code attempt} (0 for the first attempt after a loss). */
    public Duration delay(int attempt) {
        long capped = maxMillis;
        if (attempt < 62) {
            long exp = initialMillis << Math.min(attempt, 30);
            if (exp > 0 && exp < maxMillis) {
                capped = exp;
            }
        }
        double fixedPart = capped * (1 - jitter);
        double randomPart = capped * jitter * random.getAsDouble();
        return Duration.ofMillis(Math.max(1, Math.round(fixedPart + randomPart)));
    }
}
