package io.streamingpipeline.query.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

/** bench/query's options: what a run measures depends on them, so a misread one would mislabel a result. */
class QueryBenchmarkOptionsTest {

    @Test
    void numbersTakeTheLastValueGivenAndSecondsMayCarryTheirUnit() {
        String[] args = {"--duration", "15s", "--warmup", "5", "--duration", "40", "--driver-in-flight", "8, 64"};

        assertThat(QueryBenchmark.intOption(args, "--duration", 30)).isEqualTo(40);
        assertThat(QueryBenchmark.intOption(args, "--warmup", 20)).isEqualTo(5);
        assertThat(QueryBenchmark.intOption(args, "--connections", 32)).isEqualTo(32);
        assertThat(QueryBenchmark.intsOption(args, "--driver-in-flight", List.of(1)))
                .containsExactly(8, 64);
        assertThat(QueryBenchmark.intsOption(args, "--other", List.of(1))).containsExactly(1);
    }

    @Test
    void aValueIsNotReadAsAnOption() {
        String[] args = {"--service-env", "--duration", "--duration", "7"};

        assertThat(QueryBenchmark.optionValues(args, "--service-env")).containsExactly("--duration");
        assertThat(QueryBenchmark.intOption(args, "--duration", 30)).isEqualTo(7);
        assertThatThrownBy(() -> QueryBenchmark.intOption(new String[] {"--duration", "7", "8"}, "--duration", 30))
                .hasMessageContaining("expected an option and its value (bench/query --help), found 8");
        assertThatThrownBy(() -> QueryBenchmark.intOption(new String[] {"--warmup"}, "--duration", 30))
                .hasMessageContaining("found --warmup");
    }

    @Test
    void theServiceEnvironmentIsEveryKeyValuePairInOrder() {
        String[] args = {
            "--service-env", "QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE=2", "--duration", "10", "--service-env", "A=b=c"
        };

        assertThat(QueryBenchmark.serviceEnv(args))
                .containsExactly(entry("QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE", "2"), entry("A", "b=c"));
        assertThatThrownBy(() -> QueryBenchmark.serviceEnv(new String[] {"--service-env", "=x"}))
                .hasMessageContaining("--service-env takes KEY=VALUE, was =x");
        assertThatThrownBy(() -> QueryBenchmark.serviceEnv(new String[] {"--service-env", "NOVALUE"}))
                .hasMessageContaining("was NOVALUE");
    }
}
