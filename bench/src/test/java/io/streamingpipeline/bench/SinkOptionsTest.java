package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** bench/sink's flags for the Spark worker's slots and the job's warm-up. */
class SinkOptionsTest {

    @Test
    void theWorkerOffersTheSlotsOfPipelineRunUnlessTold() {
        SinkOptions defaults = SinkOptions.parse(new String[0]);
        assertThat(defaults.workerCores).isZero();
        assertThat(defaults.warmupTrades).isEqualTo(2_400_000);

        SinkOptions two = SinkOptions.parse(new String[] {"--worker-cores", "2", "--warmup-trades", "600000"});
        assertThat(two.workerCores).isEqualTo(2);
        assertThat(two.warmupTrades).isEqualTo(600_000);
    }
}
