package io.streamingpipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU time of the pipeline's processes over a window, in cores (CPU seconds per second), from the operating system's
 * per-process accounting ({@link ProcessHandle.Info#totalCpuDuration()}), and the machine's idle share from
 * {@code /proc/stat} where there is one. A process that starts inside the window counts from its start; one that ends
 * inside it is not counted.
 */
final class ProcessCpu {

    /** Per label, the processes counted under it, looked up at each sample (an executor may be replaced). */
    private final Map<String, Supplier<Stream<ProcessHandle>>> processes = new LinkedHashMap<>();

    ProcessCpu add(String label, long pid) {
        processes.put(label, () -> ProcessHandle.of(pid).stream());
        return this;
    }

    /** The children of {@code pid} and theirs (the Spark worker's executors). */
    ProcessCpu addDescendants(String label, long pid) {
        processes.put(label, () -> ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants));
        return this;
    }

    ProcessCpu addCurrent(String label) {
        processes.put(label, () -> Stream.of(ProcessHandle.current()));
        return this;
    }

    Sample sample() {
        Map<String, Map<Long, Duration>> cpu = new LinkedHashMap<>();
        processes.forEach((label, handles) -> {
            Map<Long, Duration> byPid = new LinkedHashMap<>();
            handles.get().forEach(h -> h.info().totalCpuDuration().ifPresent(d -> byPid.put(h.pid(), d)));
            cpu.put(label, byPid);
        });
        return new Sample(System.nanoTime(), cpu, idleJiffies());
    }

    /**
     * (idle + iowait, all) jiffies of the machine and its CPU count (not this process's: bench/sink may pin it), or
     * null without {@code /proc/stat}.
     */
    private static long[] idleJiffies() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            String[] f = lines.get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                all += Long.parseLong(f[i]);
            }
            long cpus = lines.stream().filter(l -> l.matches("cpu\\d+\\s.*")).count();
            return new long[] {Long.parseLong(f[4]) + Long.parseLong(f[5]), all, cpus};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    record Sample(long nanos, Map<String, Map<Long, Duration>> cpu, long[] idle) {

        /** CPU seconds of a label's processes since {@code start}. */
        double cpuSecondsSince(Sample start, String label) {
            Map<Long, Duration> before = start.cpu.getOrDefault(label, Map.of());
            double cpuSeconds = 0;
            for (Map.Entry<Long, Duration> e : cpu.getOrDefault(label, Map.of()).entrySet()) {
                cpuSeconds += e.getValue()
                                .minus(before.getOrDefault(e.getKey(), Duration.ZERO))
                                .toNanos()
                        / 1e9;
            }
            return cpuSeconds;
        }

        /** Microseconds of CPU of a label's processes since {@code start}, per item of the {@code items} done meanwhile. */
        double microsPerItem(Sample start, String label, double items) {
            return cpuSecondsSince(start, label) * 1e6 / Math.max(1, items);
        }

        /** "ingestor 4.50, Kafka 0.49, ..." in microseconds of CPU per item of the {@code items} done since {@code start}. */
        String microsPerItemSince(Sample start, double items) {
            StringJoiner out = new StringJoiner(", ");
            cpu.keySet()
                    .forEach(label ->
                            out.add(String.format(Locale.ROOT, "%s %.2f", label, microsPerItem(start, label, items))));
            return out.toString();
        }

        /** Seconds since {@code start}. */
        double secondsSince(Sample start) {
            return (nanos - start.nanos) / 1e9;
        }

        /** "driver 0.29, executor 0.28, ...; machine idle 0.40" in cores, for the window from {@code start}. */
        String coresSince(Sample start) {
            double seconds = secondsSince(start);
            StringJoiner out = new StringJoiner(", ");
            cpu.keySet()
                    .forEach(label -> out.add(
                            String.format(Locale.ROOT, "%s %.2f", label, cpuSecondsSince(start, label) / seconds)));
            String text = out.toString();
            if (idle != null && start.idle != null && idle[1] > start.idle[1]) {
                double idleShare = (double) (idle[0] - start.idle[0]) / (idle[1] - start.idle[1]);
                text += String.format(Locale.ROOT, "; machine idle %.2f", idleShare * idle[2]);
            }
            return text;
        }
    }
}
