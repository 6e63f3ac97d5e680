package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code --worker-cores N} of bench/latency, bench/capacity and bench/sink: absent means 2 slots per core. */
class WorkerCoresOptionTest {

    @Test
    void latencyAndCapacityTakeACountAndDefaultToPipelineRun() {
        LatencyOptions defaults = new LatencyOptions();
        LatencyOptions.parse(new String[0], defaults);
        assertThat(defaults.workerCores).isZero();

        LatencyOptions four = new LatencyOptions();
        LatencyOptions.parse(new String[] {"--worker-cores", "4"}, four);
        assertThat(four.workerCores).isEqualTo(4);
    }

    @Test
    void noSlotsIsRefusedByNameByEveryBenchmark() {
        for (String bad : new String[] {"0", "-1"}) {
            String[] args = {"--worker-cores", bad};
            String message = "--worker-cores must be at least 1, was " + bad;
            assertThatThrownBy(() -> LatencyOptions.parse(args, new LatencyOptions()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
            assertThatThrownBy(() -> SinkOptions.parse(args))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message);
        }
    }
}
