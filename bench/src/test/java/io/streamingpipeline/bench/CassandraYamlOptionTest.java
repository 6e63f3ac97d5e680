package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --cassandra-yaml key=value} of bench/latency, bench/capacity and bench/sink. */
class CassandraYamlOptionTest {

    @Test
    void latencyAndCapacityCollectEverySettingInOrder() {
        LatencyOptions o = new LatencyOptions();
        LatencyOptions.parse(
                new String[] {
                    "--cassandra-yaml", "memtable_allocation_type=heap_buffers",
                    "--cassandra-yaml", "concurrent_writes=8",
                    "--cassandra-yaml", "concurrent_writes=32"
                },
                o);
        assertThat(o.cassandraYaml)
                .containsExactly(
                        Map.entry("memtable_allocation_type", "heap_buffers"), Map.entry("concurrent_writes", "32"));
    }

    @Test
    void sinkTakesTheSameFlag() {
        SinkOptions o = SinkOptions.parse(new String[] {"--cassandra-yaml", "commitlog_sync_group_window=5ms"});
        assertThat(o.cassandraYaml).containsExactly(Map.entry("commitlog_sync_group_window", "5ms"));
    }

    @Test
    void aSettingWithoutKeyOrValueIsRefusedByName() {
        for (String bad : new String[] {"memtable_allocation_type", "=offheap_objects", "memtable_allocation_type="}) {
            assertThatThrownBy(() -> LatencyOptions.parse(new String[] {"--cassandra-yaml", bad}, new LatencyOptions()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--cassandra-yaml needs key=value, was " + bad);
        }
    }
}
