package io.streamingpipeline.bench;

import java.util.List;
import java.util.Locale;

/** bench/latency's closing lines: one summary line per phase, then the {@code RESULT} line. */
final class LatencyReport {

    private LatencyReport() {}

    static void print(List<PhaseResult> results, List<PhaseResult> floorResults) {
        System.out.println(
                "summary (ms; e2e = simulator -> row readable in Cassandra, or for the floor query in its file; "
                        + "ingest = simulator -> record readable in Kafka):");
        for (PhaseResult r : results) {
            System.out.println("  " + r.summary());
        }
        for (PhaseResult r : floorResults) {
            System.out.println("  " + r.summary());
        }
        StringBuilder result = new StringBuilder("RESULT");
        for (PhaseResult r : results) {
            result.append(String.format(Locale.ROOT, " p99_ms_at_%s=%d", PhaseResult.label(r.rate), r.e2e.p99()));
        }
        result.append(String.format(
                Locale.ROOT,
                " p50_ms_at_%s=%d",
                PhaseResult.label(results.get(0).rate),
                results.get(0).e2e.p50()));
        for (PhaseResult f : floorResults) {
            result.append(String.format(Locale.ROOT, " floor_p99_ms_at_%s=%d", PhaseResult.label(f.rate), f.e2e.p99()));
            results.stream()
                    .filter(r -> r.rate == f.rate)
                    .findFirst()
                    .ifPresent(r -> result.append(String.format(
                            Locale.ROOT,
                            " ratio_at_%s=%.2f",
                            PhaseResult.label(f.rate),
                            (double) r.e2e.p99() / Math.max(1, f.e2e.p99()))));
        }
        System.out.println(result);
    }
}
