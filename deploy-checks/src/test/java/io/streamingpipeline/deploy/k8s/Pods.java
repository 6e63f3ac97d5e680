package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.util.List;
import java.util.stream.Stream;

/** Look-ups in a pod's spec: probe targets, ports by name or number, mounts and volumes. */
final class Pods {

    private Pods() {}

    /** An httpGet probe's target: {@code "<container port> <path>"}. */
    static String httpGet(Container c, Probe probe) {
        assertThat(probe).as("probe of %s", c.getName()).isNotNull();
        assertThat(probe.getHttpGet()).as("httpGet probe of %s", c.getName()).isNotNull();
        return resolvePort(c, probe.getHttpGet().getPort()) + " "
                + probe.getHttpGet().getPath();
    }

    /** A port number or name resolved against the container's ports (-1 when it is not one of them). */
    static int resolvePort(Container c, IntOrString port) {
        List<ContainerPort> ports = c.getPorts() == null ? List.of() : c.getPorts();
        if (port.getStrVal() != null) {
            return ports.stream()
                    .filter(p -> port.getStrVal().equals(p.getName()))
                    .mapToInt(ContainerPort::getContainerPort)
                    .findFirst()
                    .orElse(-1);
        }
        int n = port.getIntVal();
        return ports.stream().anyMatch(p -> p.getContainerPort() == n) ? n : -1;
    }

    static int port(Container c, String name) {
        int p = resolvePort(c, new IntOrString(name));
        assertThat(p).as("port %s of %s", name, c.getName()).isPositive();
        return p;
    }

    static VolumeMount mountOf(Container c, String path) {
        return Stream.ofNullable(c.getVolumeMounts())
                .flatMap(List::stream)
                .filter(m -> path.equals(m.getMountPath()) || path.startsWith(m.getMountPath() + "/"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + path));
    }

    static Volume volume(Workload w, String name) {
        return w.template().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(w.id() + " has no volume " + name));
    }
}
