package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestBaselineTest {

    @Test
    void theBaselineIsTheBestRunOfAnySettingAndTheIngestorsOwnIsKeptBesideIt() {
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        rates.put("10", List.of(1_000_000.0, 1_150_000.0));
        rates.put("20", List.of(1_200_000.0));
        rates.put("50", List.of(1_100_000.0));
        var baseline = new IngestBenchmark.Baseline(rates);

        assertThat(baseline.bestLinger()).isEqualTo("20");
        assertThat(baseline.best()).isEqualTo(1_200_000.0);
        assertThat(baseline.bestAt("10")).isEqualTo(1_150_000.0);
        assertThat(baseline.bestAt("5")).isNaN();
        assertThat(baseline.runs()).isEqualTo(4);
    }

    @Test
    void theSweepsLingersAreAListOrNone() {
        assertThat(IngestBenchmark.lingers("20, 50")).containsExactly("20", "50");
        assertThat(IngestBenchmark.lingers("none")).isEmpty();
    }
}
