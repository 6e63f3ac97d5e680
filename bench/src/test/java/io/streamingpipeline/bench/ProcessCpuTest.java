package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void countsTheCpuTimeOfItsProcessesOverAWindow() {
        ProcessCpu cpu = new ProcessCpu().addCurrent("benchmark").add("gone", Long.MAX_VALUE);
        ProcessCpu.Sample start = cpu.sample();
        double burnt = burnCpu(0.2);

        ProcessCpu.Sample end = cpu.sample();

        // the process used at least this thread's CPU time (the system counts it in 10-ms ticks)
        assertThat(end.cpuSecondsSince(start, "benchmark")).isGreaterThanOrEqualTo(burnt - 0.03);
        assertThat(end.cpuSecondsSince(start, "gone")).isZero();
        // per item: the CPU seconds in microseconds over the items; no items count as one
        assertThat(end.microsPerItem(start, "benchmark", 1_000))
                .isCloseTo(end.cpuSecondsSince(start, "benchmark") * 1e3, within(1e-6));
        assertThat(end.microsPerItem(start, "benchmark", 0))
                .isCloseTo(end.cpuSecondsSince(start, "benchmark") * 1e6, within(1e-3));
        assertThat(end.secondsSince(start)).isGreaterThan(0);
        assertThat(end.microsPerItemSince(start, 1_000)).matches("benchmark \\d+\\.\\d\\d, gone 0\\.00");
        assertThat(end.coresSince(start))
                .matches("benchmark \\d+\\.\\d\\d, gone 0\\.00(; machine idle \\d+\\.\\d\\d)?");
    }

    /** Spins until this thread has used {@code seconds} of CPU; returns the CPU seconds it used. */
    private static double burnCpu(double seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long x = 0;
        while (threads.getCurrentThreadCpuTime() - start < seconds * 1e9) {
            x += Long.numberOfTrailingZeros(x + 1);
        }
        assertThat(x).isNotNegative();
        return (threads.getCurrentThreadCpuTime() - start) / 1e9;
    }
}
