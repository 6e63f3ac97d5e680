package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** What every workload of every kustomization has: resources, a non-root read-only security context, probes on its own ports, Services that select it. */
class KubernetesContainerPracticesTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.ALL_DIRECTORIES)
    void everyContainerHasResourcesAndANonRootReadOnlySecurityContext(String dir) {
        Rendered r = Rendered.of(dir);
        assertThat(r.workloads()).isNotEmpty();
        for (Workload w : r.workloads()) {
            PodSpec pod = w.template().getSpec();
            PodSecurityContext podSc =
                    Optional.ofNullable(pod.getSecurityContext()).orElseGet(PodSecurityContext::new);
            boolean noToken = Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())
                    || (pod.getServiceAccountName() != null
                            && r.find(ServiceAccount.class, pod.getServiceAccountName())
                                    .map(sa -> Boolean.FALSE.equals(sa.getAutomountServiceAccountToken()))
                                    .orElse(false));
            assertThat(noToken)
                    .as("%s: no service account token (nothing here calls the API)", w.id())
                    .isTrue();
            if (pod.getServiceAccountName() != null) {
                assertThat(r.find(ServiceAccount.class, pod.getServiceAccountName()))
                        .as("%s's ServiceAccount", w.id())
                        .isPresent();
            }
            assertThat(pod.getEnableServiceLinks())
                    .as("%s: enableServiceLinks", w.id())
                    .isFalse();
            for (Container c : w.allContainers()) {
                String id = w.id() + " container " + c.getName();
                assertThat(c.getResources()).as(id).isNotNull();
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = c.getResources().getRequests() == null
                            ? null
                            : c.getResources().getRequests().get(resource);
                    Quantity limit = c.getResources().getLimits() == null
                            ? null
                            : c.getResources().getLimits().get(resource);
                    assertThat(request).as("%s: %s request", id, resource).isNotNull();
                    assertThat(limit).as("%s: %s limit", id, resource).isNotNull();
                    assertThat(Quantity.getAmountInBytes(request))
                            .as("%s: %s request <= limit", id, resource)
                            .isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
                }
                SecurityContext sc = Optional.ofNullable(c.getSecurityContext()).orElseGet(SecurityContext::new);
                assertThat(first(sc.getRunAsNonRoot(), podSc.getRunAsNonRoot()))
                        .as("%s: runAsNonRoot", id)
                        .isTrue();
                assertThat(first(sc.getRunAsUser(), podSc.getRunAsUser()))
                        .as("%s: runAsUser", id)
                        .isNotNull()
                        .isPositive();
                assertThat(sc.getAllowPrivilegeEscalation())
                        .as("%s: allowPrivilegeEscalation", id)
                        .isFalse();
                assertThat(sc.getReadOnlyRootFilesystem())
                        .as("%s: readOnlyRootFilesystem", id)
                        .isTrue();
                assertThat(sc.getPrivileged()).as("%s: privileged", id).isNotEqualTo(Boolean.TRUE);
                assertThat(
                                sc.getCapabilities() == null
                                        ? null
                                        : sc.getCapabilities().getDrop())
                        .as("%s: drop", id)
                        .isNotNull()
                        .contains("ALL");
                assertThat(sc.getCapabilities().getAdd())
                        .as("%s: added capabilities", id)
                        .isNullOrEmpty();
                var seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : podSc.getSeccompProfile();
                assertThat(seccomp == null ? null : seccomp.getType())
                        .as("%s: seccomp", id)
                        .isEqualTo("RuntimeDefault");
                assertThat(c.getImage())
                        .as("%s: pinned image", id)
                        .matches(".+:[A-Za-z0-9][A-Za-z0-9._-]*")
                        .doesNotEndWith(":latest");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.ALL_DIRECTORIES)
    void everyServingContainerHasReadinessAndLivenessOnItsOwnPorts(String dir) {
        for (Workload w : Rendered.of(dir).workloads()) {
            if (w.kind().equals("Job")) {
                continue;
            }
            for (Container c : w.template().getSpec().getContainers()) {
                if (c.getPorts() == null || c.getPorts().isEmpty()) {
                    continue;
                }
                String id = w.id() + " container " + c.getName();
                assertThat(c.getReadinessProbe()).as("%s: readinessProbe", id).isNotNull();
                assertThat(c.getLivenessProbe()).as("%s: livenessProbe", id).isNotNull();
                for (Probe probe : Stream.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())
                        .filter(Objects::nonNull)
                        .toList()) {
                    IntOrString port = probe.getHttpGet() != null
                            ? probe.getHttpGet().getPort()
                            : probe.getTcpSocket() != null
                                    ? probe.getTcpSocket().getPort()
                                    : null;
                    if (port != null) {
                        assertThat(Pods.resolvePort(c, port))
                                .as("%s: probe port %s is a container port", id, port)
                                .isPositive();
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.ALL_DIRECTORIES)
    void everyServiceSelectsPodsThatHaveItsTargetPorts(String dir) {
        Rendered r = Rendered.of(dir);
        r.services().forEach(s -> {
            List<Workload> pods = r.selected(s.getSpec().getSelector());
            assertThat(pods).as("pods of Service %s", s.getMetadata().getName()).isNotEmpty();
            for (ServicePort p : s.getSpec().getPorts()) {
                for (Workload w : pods) {
                    assertThat(w.template().getSpec().getContainers().stream()
                                    .anyMatch(c -> Pods.resolvePort(
                                                    c,
                                                    p.getTargetPort() == null
                                                            ? new IntOrString(p.getPort())
                                                            : p.getTargetPort())
                                            > 0))
                            .as(
                                    "Service %s port %s targets a port of %s",
                                    s.getMetadata().getName(), p.getName(), w.id())
                            .isTrue();
                }
            }
        });
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
