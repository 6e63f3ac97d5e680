package io.streamingpipeline.deploy.k8s;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Which pods a rendered kustomization's NetworkPolicies select, and whom they let in. */
final class NetworkPolicies {

    private NetworkPolicies() {}

    static boolean selects(NetworkPolicy p, Workload w) {
        Map<String, String> selector = p.getSpec().getPodSelector().getMatchLabels();
        return selector == null || w.labels().entrySet().containsAll(selector.entrySet());
    }

    /** Whether some NetworkPolicy of {@code target} lets {@code client}'s pods in on container port {@code port}. */
    static boolean allows(Rendered r, Workload client, Workload target, int port) {
        return r.networkPolicies()
                .filter(p -> selects(p, target))
                .flatMap(p -> Stream.ofNullable(p.getSpec().getIngress()).flatMap(List::stream))
                .filter(rule -> rule.getFrom().isEmpty()
                        || rule.getFrom().stream()
                                .anyMatch(peer -> peer.getNamespaceSelector() == null
                                        && peer.getPodSelector() != null
                                        && peer.getPodSelector().getMatchLabels() != null
                                        && client.labels()
                                                .entrySet()
                                                .containsAll(peer.getPodSelector()
                                                        .getMatchLabels()
                                                        .entrySet())))
                .anyMatch(rule -> rule.getPorts().isEmpty()
                        || rule.getPorts().stream()
                                .anyMatch(p -> target.template().getSpec().getContainers().stream()
                                        .anyMatch(c -> Pods.resolvePort(c, p.getPort()) == port)));
    }

    /** Names of the pods (app label) and namespaces allowed into the pods labelled app=target. */
    static Set<String> allowedFrom(Rendered r, String target) {
        Set<String> from = new LinkedHashSet<>();
        List<NetworkPolicyIngressRule> rules = r.networkPolicies()
                .filter(p -> Map.of("app", target)
                        .equals(p.getSpec().getPodSelector().getMatchLabels()))
                .flatMap(p -> p.getSpec().getIngress().stream())
                .toList();
        if (rules.stream().anyMatch(rule -> rule.getFrom().isEmpty())) {
            from.add("any source"); // a rule without `from`
        }
        rules.stream().flatMap(rule -> rule.getFrom().stream()).forEach(peer -> {
            if (peer.getNamespaceSelector() != null) {
                from.add("namespace "
                        + peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
            } else if (peer.getPodSelector() != null) {
                from.add(peer.getPodSelector().getMatchLabels().get("app"));
            }
        });
        return from;
    }
}
