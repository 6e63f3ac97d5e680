package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.net.URI;
import java.util.Map;

/** Addresses in the manifests (host:port, URLs) resolved to a Service of the render and the container port behind it. */
final class ServiceEndpoints {

    private ServiceEndpoints() {}

    /** The container port of {@code target} that Service {@code host}'s port {@code port} leads to. */
    static int servicePortTarget(Rendered r, String host, int port, Workload target) {
        Service s = r.get(Service.class, host);
        assertThat(target.labels())
                .as("Service %s selects %s", host, target.id())
                .containsAllEntriesOf(s.getSpec().getSelector());
        ServicePort servicePort = s.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == port)
                .findFirst()
                .orElseThrow(() -> new AssertionError("Service " + host + " has no port " + port));
        IntOrString targetPort =
                servicePort.getTargetPort() == null ? new IntOrString(port) : servicePort.getTargetPort();
        int resolved = target.template().getSpec().getContainers().stream()
                .mapToInt(c -> Pods.resolvePort(c, targetPort))
                .filter(p -> p > 0)
                .findFirst()
                .orElse(-1);
        assertThat(resolved)
                .as("Service %s port %s is a container port of %s", host, port, target.id())
                .isPositive();
        return resolved;
    }

    /**
     * {@code url} is http://&lt;Service&gt;:&lt;port&gt;&lt;path&gt; where the Service selects {@code workload}'s pods and its port
     * leads to the container port of {@code expected} ("&lt;container port&gt; &lt;path&gt;", as {@link #httpGet}).
     */
    static void assertEndpoint(Rendered r, String url, String workload, String expected) {
        assertThat(url).as("URL for %s", workload).isNotBlank();
        URI uri = URI.create(url);
        assertThat(uri.getScheme()).isEqualTo("http");
        int target = servicePortTarget(r, uri.getHost(), uri.getPort(), r.workload(workload));
        assertThat(target + " " + uri.getPath()).as(url).isEqualTo(expected);
    }

    /** Each host:port is a Service of this render with that port, selecting the kafka pods. */
    static void assertKafkaBootstrap(Rendered r, String bootstrap) {
        Map<String, String> kafkaPods =
                r.get(StatefulSet.class, "kafka").getSpec().getSelector().getMatchLabels();
        for (String server : bootstrap.split(",")) {
            String[] hostPort = server.strip().split(":");
            Service s = r.get(Service.class, hostPort[0]);
            assertThat(s.getSpec().getSelector()).isEqualTo(kafkaPods);
            assertThat(s.getSpec().getPorts()).anyMatch(p -> p.getPort() == Integer.parseInt(hostPort[1]));
        }
    }
}
