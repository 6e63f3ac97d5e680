package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class CpuPinningTest {

    @Test
    void cpuListsAsTasksetAndProcWriteThem() {
        assertThat(CpuPinning.parse("1").stream().toArray()).containsExactly(1);
        assertThat(CpuPinning.parse("0-3,6").stream().toArray()).containsExactly(0, 1, 2, 3, 6);
        assertThat(CpuPinning.parse(" 2 , 4-5 ").stream().toArray()).containsExactly(2, 4, 5);

        assertThat(CpuPinning.text(CpuPinning.parse("6,0-3"))).isEqualTo("0-3,6");
        assertThat(CpuPinning.text(CpuPinning.parse("1"))).isEqualTo("1");
        assertThat(CpuPinning.text(new BitSet())).isEmpty();
    }

    @Test
    void aListThatIsNotOneSaysWhatOneIs() {
        for (String bad : new String[] {"a", "3-1", "1-2-3", "-1", "1,x"}) {
            assertThatThrownBy(() -> CpuPinning.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("such as 1 or 0-3,6");
        }
    }

    @Test
    void theNodeGetsTheCpusAskedForAndTheOthersTheRestOfThisProcesssCpus() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "Linux only");
        BitSet mine = CpuPinning.allowedCpus();
        int first = mine.nextSetBit(0);

        if (mine.cardinality() > 1) {
            CpuPinning pinning = CpuPinning.cassandraOn(Integer.toString(first));
            assertThat(pinning.cassandra().stream().toArray()).containsExactly(first);
            BitSet rest = (BitSet) mine.clone();
            rest.clear(first);
            assertThat(pinning.others()).isEqualTo(rest);
        }
        assertThatThrownBy(() -> CpuPinning.cassandraOn(CpuPinning.text(mine)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaves no CPU for the other processes");
        assertThatThrownBy(() -> CpuPinning.cassandraOn("4096"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CPUs 4096 are not among this machine's");
        assertThatThrownBy(() -> CpuPinning.cassandraOn(","))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs at least one CPU");
    }
}
