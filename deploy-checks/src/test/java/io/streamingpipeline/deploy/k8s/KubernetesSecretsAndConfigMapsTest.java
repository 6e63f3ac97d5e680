package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Every Secret and ConfigMap a workload references exists (dev generates its Secrets, prod only references them). */
class KubernetesSecretsAndConfigMapsTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void referencedSecretsAndConfigMapsExist(String overlay) {
        Rendered r = Rendered.of(overlay);
        Set<String> secrets = new LinkedHashSet<>();
        for (Workload w : r.workloads()) {
            Stream.ofNullable(w.template().getSpec().getVolumes())
                    .flatMap(List::stream)
                    .forEach(v -> {
                        if (v.getSecret() != null) {
                            secrets.add(v.getSecret().getSecretName());
                        }
                        if (v.getConfigMap() != null) {
                            assertThat(r.find(ConfigMap.class, v.getConfigMap().getName()))
                                    .as("%s ConfigMap volume", w.id())
                                    .isPresent();
                        }
                    });
            w.allContainers().forEach(c -> {
                r.env(c); // resolves every configMapKeyRef, fails on a missing one
                Stream.ofNullable(c.getEnv())
                        .flatMap(List::stream)
                        .filter(e ->
                                e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .forEach(e ->
                                secrets.add(e.getValueFrom().getSecretKeyRef().getName()));
            });
        }
        assertThat(secrets.stream().map(Rendered::baseName).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("finnhub-token", "cassandra-credentials");
        if (overlay.endsWith("dev")) {
            for (String s : secrets) {
                assertThat(r.find(Secret.class, s)).as("generated Secret %s", s).isPresent();
            }
            assertThat(r.get(Secret.class, Rendered.generated(r, "finnhub-token"))
                            .getData())
                    .containsKey("token");
            assertThat(r.get(Secret.class, Rendered.generated(r, "cassandra-credentials"))
                            .getData())
                    .containsKeys("superuser-password", "pipeline-password", "reader-password");
        } else {
            assertThat(r.all(Secret.class))
                    .as("prod references real secrets, never generates them")
                    .isEmpty();
        }
    }
}
