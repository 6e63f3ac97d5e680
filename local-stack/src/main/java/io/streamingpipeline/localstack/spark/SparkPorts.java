package io.streamingpipeline.localstack.spark;

import io.streamingpipeline.localstack.process.FreePorts;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ports of a {@link SparkCluster} on 127.0.0.1: the master's RPC and web UI, the worker's RPC and web UI, and the
 * master's REST submission endpoint (0: off).
 */
record SparkPorts(int master, int webUi, int worker, int workerWebUi, int rest) {

    /** The given master and web UI ports (0: a free one), free ones for the rest; they must all differ. */
    static SparkPorts pick(int masterPort, int webUiPort, boolean restSubmission) {
        int[] free = FreePorts.pick(5);
        SparkPorts ports = new SparkPorts(
                masterPort != 0 ? masterPort : free[0],
                webUiPort != 0 ? webUiPort : free[1],
                free[2],
                free[3],
                restSubmission ? free[4] : 0);
        List<Integer> daemonPorts = List.of(ports.master, ports.webUi, ports.worker, ports.workerWebUi);
        if (Stream.of(ports.master, ports.webUi, ports.worker, ports.workerWebUi)
                                .distinct()
                                .count()
                        != 4
                || restSubmission && daemonPorts.contains(ports.rest)) {
            throw new IllegalArgumentException("Spark ports must differ, were "
                    + List.of(ports.master, ports.webUi, ports.worker, ports.workerWebUi, ports.rest));
        }
        return ports;
    }

    /** Fails with {@link io.streamingpipeline.localstack.process.PortInUseException} when one of them is taken. */
    void requireFree() {
        for (int port : List.of(master, webUi, worker, workerWebUi)) {
            FreePorts.requireFree(port, "Spark standalone cluster");
        }
        if (rest != 0) {
            FreePorts.requireFree(rest, "Spark master REST submission endpoint");
        }
    }
}
