package io.streamingpipeline.bench;

import java.util.List;
import java.util.Locale;

/**
 * What one rate of bench/latency (or one step of bench/capacity) measured: the probe's latencies over the window, the
 * throughput of each stage, what was lost, the job's batches, CPU and load; printed per phase and in the summary.
 */
final class PhaseResult {
    int rate;
    LatencyStats e2e;
    LatencyStats ingest;
    LatencyStats toProducer;
    LatencyStats toIngestor;
    double seconds;
    double deliveredPerS;
    double publishedPerS;
    double storedPerS;
    double storedThroughDrainPerS;
    long probeSentInPhase;
    int probeInKafkaInPhase;
    int probeInKafka;
    int probeStored;
    long lostInIngestor;
    long backlogAtStart;
    long backlogAtEnd;
    double meanBatch;
    double maxBatch;
    int batches;
    String load;
    String cores;
    boolean floor;
    /**
     * A bench/capacity step on a running feed: probe trades are counted over the window and the ingestor's losses from
     * the step's warm-up, instead of both over the phase.
     */
    boolean step;

    static PhaseResult of(
            int rate,
            ProbeTracker tracker,
            long from,
            long to,
            long drainedAt,
            PhaseCounters before,
            PhaseCounters after,
            long lostInIngestor,
            List<Double> batchDurations,
            String load) {
        PhaseResult r = new PhaseResult();
        r.rate = rate;
        List<ProbeTracker.KafkaProbe> probes = tracker.probesBetween(from, to);
        long[] e2e = new long[probes.size()];
        long[] ingest = new long[probes.size()];
        long[] toProducer = new long[probes.size()];
        long[] toIngestor = new long[probes.size()];
        int stored = 0;
        for (int i = 0; i < probes.size(); i++) {
            ProbeTracker.KafkaProbe p = probes.get(i);
            Long seen = tracker.seenInSink(p.id());
            if (seen != null) {
                stored++;
            }
            // a row not seen by the end of the drain counts with its wait so far: a lower bound
            e2e[i] = (seen != null ? seen : drainedAt) - p.tradeMillis();
            ingest[i] = p.kafkaReadMillis() - p.tradeMillis();
            toProducer[i] = p.createTime() - p.tradeMillis();
            toIngestor[i] = p.ingestedAt() - p.tradeMillis();
        }
        r.e2e = LatencyStats.of(e2e, stored < probes.size());
        r.ingest = LatencyStats.of(ingest, false);
        r.toProducer = LatencyStats.of(toProducer, false);
        r.toIngestor = LatencyStats.of(toIngestor, false);
        r.seconds = (to - from) / 1000.0;
        r.deliveredPerS = (after.delivered() - before.delivered()) / r.seconds;
        r.publishedPerS = (after.published() - before.published()) / r.seconds;
        r.storedPerS = (after.stored() - before.stored()) / r.seconds;
        r.probeInKafka = probes.size();
        r.probeStored = stored;
        r.lostInIngestor = lostInIngestor;
        r.backlogAtStart = before.backlog();
        r.backlogAtEnd = after.backlog();
        r.batches = batchDurations.size();
        r.meanBatch = batchDurations.stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElse(0);
        r.maxBatch =
                batchDurations.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        r.load = load;
        return r;
    }

    void print() {
        System.out.printf(
                Locale.ROOT,
                "%s %,d/s: end-to-end (sim -> %s) %s ms over %d probe trades%n",
                tag(),
                rate,
                floor ? "floor query's file" : "Cassandra",
                e2e.text(),
                e2e.n());
        System.out.printf(
                Locale.ROOT,
                "%s %,d/s: ingest (sim -> readable in Kafka) %s ms; of which sim -> ingestor "
                        + "(ingested_at) p50 %d p99 %d, sim -> producer send (CreateTime) p50 %d p99 %d%n",
                tag(),
                rate,
                ingest.text(),
                toIngestor.p50(),
                toIngestor.p99(),
                toProducer.p50(),
                toProducer.p99());
        System.out.printf(
                Locale.ROOT,
                "%s %,d/s: delivered %,.0f trades/s, published to Kafka %,.0f/s, stored "
                        + "%,.0f/s (%s) over %.0f s, %,.0f/s over window + drain; backlog at the "
                        + "window's end %,d records (Kafka - rows written); query: %d batches seen, mean %.2f s, "
                        + "max %.2f s; load average %s%n",
                tag(),
                rate,
                deliveredPerS,
                publishedPerS,
                storedPerS,
                floor ? "records the floor query read" : "job rows written to Cassandra",
                seconds,
                storedThroughDrainPerS,
                backlogAtEnd,
                batches,
                meanBatch,
                maxBatch,
                load);
        System.out.printf(
                Locale.ROOT,
                "%s %,d/s: probe trades sent in %s %d, in Kafka %d (%d lost before Kafka); "
                        + "of the window's %d in Kafka, %d at the sink (%d lagging or lost); the ingestor counted %,d "
                        + "trades lost (buffer full) in %s%n",
                tag(),
                rate,
                step ? "the window" : "the phase",
                probeSentInPhase,
                probeInKafkaInPhase,
                lostBeforeKafka(),
                probeInKafka,
                probeStored,
                probeInKafka - probeStored,
                lostInIngestor,
                step ? "this step" : "this phase");
        System.out.printf(
                Locale.ROOT,
                "%s %,d/s: CPU over the window, in cores of %d: %s%n",
                tag(),
                rate,
                Runtime.getRuntime().availableProcessors(),
                cores);
    }

    String tag() {
        return floor ? "floor, rate" : "rate";
    }

    String summary() {
        return String.format(
                Locale.ROOT,
                "%s%6s/s: e2e %s | ingest %s | delivered %,.0f/s published %,.0f/s stored %,.0f/s "
                        + "(%,.0f/s incl. drain) | probe trades lost before Kafka %d, lagging/lost after %d",
                floor ? "floor " : "",
                label(rate),
                e2e.text(),
                ingest.text(),
                deliveredPerS,
                publishedPerS,
                storedPerS,
                storedThroughDrainPerS,
                lostBeforeKafka(),
                probeInKafka - probeStored);
    }

    long lostBeforeKafka() {
        return Math.max(0, probeSentInPhase - probeInKafkaInPhase);
    }

    /** 1000 -> "1k", 2500 -> "2500". */
    static String label(int rate) {
        return rate % 1000 == 0 ? rate / 1000 + "k" : Integer.toString(rate);
    }
}
