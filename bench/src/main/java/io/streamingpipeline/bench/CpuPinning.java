package io.streamingpipeline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * The Cassandra node on CPUs of its own, every other process on the rest: bench/sink's {@code --cassandra-cpus}.
 * Processes inherit the CPUs of the thread that starts them, so the benchmark's JVM moves itself to the node's CPUs to
 * start it, then to the others' to start the rest. Linux only, through {@code taskset} (util-linux).
 *
 * @param cassandra the node's CPUs
 * @param others    the CPUs of every other process: those this process may run on, less the node's
 */
record CpuPinning(BitSet cassandra, BitSet others) {

    /** The CPUs in {@code list} ({@code 1}, {@code 0-3,6}) for the node, the rest of this process's for the others. */
    static CpuPinning cassandraOn(String list) {
        BitSet cassandra = parse(list);
        BitSet allowed = allowedCpus();
        if (cassandra.isEmpty()) {
            throw new IllegalArgumentException("--cassandra-cpus needs at least one CPU, was '" + list + "'");
        }
        BitSet outside = (BitSet) cassandra.clone();
        outside.andNot(allowed);
        if (!outside.isEmpty()) {
            throw new IllegalArgumentException("--cassandra-cpus " + list + ": CPUs " + text(outside)
                    + " are not among this machine's (" + text(allowed) + ")");
        }
        BitSet others = (BitSet) allowed.clone();
        others.andNot(cassandra);
        if (others.isEmpty()) {
            throw new IllegalArgumentException("--cassandra-cpus " + list
                    + " leaves no CPU for the other processes (this machine's: " + text(allowed) + ")");
        }
        return new CpuPinning(cassandra, others);
    }

    /** This JVM, every thread, on {@code cpus}: what it starts from now on inherits them. */
    void pinThisProcessTo(BitSet cpus) {
        pin(ProcessHandle.current().pid(), cpus);
    }

    /** Every thread of {@code pid} on {@code cpus}; the threads they start inherit them. */
    void pin(long pid, BitSet cpus) {
        ProcessBuilder command = new ProcessBuilder(
                        "taskset", "--all-tasks", "--cpu-list", "--pid", text(cpus), Long.toString(pid))
                .redirectErrorStream(true);
        try {
            Process p = command.start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("taskset did not end within 30 s (pid " + pid + ")");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "taskset could not pin pid " + pid + " to CPU " + text(cpus) + ": " + output.trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("--cassandra-cpus needs taskset (util-linux): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pinning pid " + pid, e);
        }
    }

    String describe() {
        return "Cassandra on CPU " + text(cassandra) + ", every other process on CPU " + text(others);
    }

    static BitSet parse(String list) {
        BitSet cpus = new BitSet();
        for (String part : list.trim().split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] range = part.trim().split("-", -1);
            try {
                int from = Integer.parseInt(range[0].trim());
                int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
                if (range.length > 2 || from < 0 || to < from) {
                    throw new NumberFormatException();
                }
                cpus.set(from, to + 1);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "a CPU list is numbers and ranges such as 1 or 0-3,6; was '" + list + "'");
            }
        }
        return cpus;
    }

    static String text(BitSet cpus) {
        StringJoiner out = new StringJoiner(",");
        for (int from = cpus.nextSetBit(0); from >= 0; ) {
            int to = cpus.nextClearBit(from) - 1;
            out.add(from == to ? Integer.toString(from) : from + "-" + to);
            from = cpus.nextSetBit(to + 1);
        }
        return out.toString();
    }

    /** The CPUs this process may run on ({@code Cpus_allowed_list} of {@code /proc/self/status}). */
    static BitSet allowedCpus() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Cpus_allowed_list:"))
                    .findFirst()
                    .map(l -> parse(l.substring(l.indexOf(':') + 1)))
                    .orElseThrow(() -> new IllegalStateException("no Cpus_allowed_list in /proc/self/status"));
        } catch (IOException e) {
            throw new IllegalStateException("--cassandra-cpus needs Linux's /proc/self/status: " + e.getMessage(), e);
        }
    }
}
