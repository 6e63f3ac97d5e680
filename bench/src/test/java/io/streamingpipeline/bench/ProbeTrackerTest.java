package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.bench.ProbeTracker.KafkaProbe;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

/** Where the sink's poll starts: the oldest probe trade read from Kafka and not seen in the sink yet. */
class ProbeTrackerTest {

    private static final long NOW = 1_800_000_000_000L;

    private final NavigableSet<KafkaProbe> unseen = new ConcurrentSkipListSet<>(
            Comparator.comparingLong(KafkaProbe::tradeMillis).thenComparing(KafkaProbe::id));
    private final Map<UUID, Long> seen = new HashMap<>();

    @Test
    void theOldestUnseenProbeHoldsThePollBackAndTheSeenOnesBeforeItAreDropped() {
        KafkaProbe oldSeen = probe(NOW - 4_000);
        KafkaProbe oldest = probe(NOW - 3_000);
        KafkaProbe newer = probe(NOW - 1_000);
        seen.put(oldSeen.id(), NOW - 3_500);

        assertThat(ProbeTracker.lowerBound(unseen, seen, newer.tradeMillis(), NOW))
                .isEqualTo(NOW - 3_000);
        assertThat(unseen).containsExactly(oldest, newer);

        seen.put(oldest.id(), NOW);
        assertThat(ProbeTracker.lowerBound(unseen, seen, newer.tradeMillis(), NOW))
                .isEqualTo(NOW - 1_000 - 500);
        assertThat(unseen).containsExactly(newer);
    }

    @Test
    void aProbeUnseenForFiveMinutesNoLongerHoldsItBack() {
        KafkaProbe lost = probe(NOW - Duration.ofMinutes(5).toMillis() - 1);
        KafkaProbe recent = probe(NOW - 2_000);

        assertThat(ProbeTracker.lowerBound(unseen, seen, NOW - 100, NOW)).isEqualTo(NOW - 2_000);
        assertThat(unseen).containsExactly(recent);
    }

    @Test
    void withEverythingSeenThePollStartsALittleBeforeTheNewestOrTenSecondsAgo() {
        KafkaProbe done = probe(NOW - 200);
        seen.put(done.id(), NOW);

        assertThat(ProbeTracker.lowerBound(unseen, seen, done.tradeMillis(), NOW))
                .isEqualTo(NOW - 200 - 500);
        assertThat(unseen).isEmpty();
        assertThat(ProbeTracker.lowerBound(unseen, seen, Long.MIN_VALUE, NOW)).isEqualTo(NOW - 10_000 - 500);
    }

    private KafkaProbe probe(long tradeMillis) {
        KafkaProbe p =
                new KafkaProbe(UUID.randomUUID(), tradeMillis, tradeMillis + 5, tradeMillis + 6, tradeMillis + 9);
        unseen.add(p);
        return p;
    }
}
