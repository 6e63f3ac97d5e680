package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The objects of one kustomization, read strictly, with look-ups the consistency tests share. */
final class Rendered {

    private static final Map<String, Rendered> CACHE = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    /** A pod template and the workload that owns it ("Deployment/ingestor"). */
    record Workload(String kind, String name, int replicas, PodTemplateSpec template) {
        String id() {
            return kind + "/" + name;
        }

        Map<String, String> labels() {
            return template.getMetadata() == null || template.getMetadata().getLabels() == null
                    ? Map.of()
                    : template.getMetadata().getLabels();
        }

        List<Container> allContainers() {
            List<Container> all = new ArrayList<>();
            if (template.getSpec().getInitContainers() != null) {
                all.addAll(template.getSpec().getInitContainers());
            }
            all.addAll(template.getSpec().getContainers());
            return all;
        }

        Container container(String name) {
            return allContainers().stream()
                    .filter(c -> c.getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(id() + " has no container " + name));
        }
    }

    final String name;
    final List<HasMetadata> objects;

    private Rendered(String name, List<HasMetadata> objects) {
        this.name = name;
        this.objects = objects;
    }

    /** {@code k8s/<dir>} built with kustomize; every object must read strictly (else the test fails here). */
    static Rendered of(String dir) {
        return CACHE.computeIfAbsent(dir, d -> {
            List<StrictKubernetesModel.Parsed> parsed = StrictKubernetesModel.parseAll("k8s/" + d, Kustomize.build(d));
            List<String> problems =
                    parsed.stream().flatMap(p -> p.problems().stream()).toList();
            assertThat(problems)
                    .as("k8s/%s against the Kubernetes API model", d)
                    .isEmpty();
            return new Rendered(
                    d, parsed.stream().map(StrictKubernetesModel.Parsed::object).toList());
        });
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name)
                .orElseThrow(() -> new AssertionError(this.name + ": no " + type.getSimpleName() + " " + name));
    }

    List<Workload> workloads() {
        List<Workload> w = new ArrayList<>();
        all(Deployment.class)
                .forEach(d -> w.add(new Workload(
                        "Deployment",
                        d.getMetadata().getName(),
                        d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(),
                        d.getSpec().getTemplate())));
        all(StatefulSet.class)
                .forEach(s -> w.add(new Workload(
                        "StatefulSet",
                        s.getMetadata().getName(),
                        s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas(),
                        s.getSpec().getTemplate())));
        all(Job.class)
                .forEach(j -> w.add(new Workload(
                        "Job", j.getMetadata().getName(), 1, j.getSpec().getTemplate())));
        return w;
    }

    Optional<Workload> findWorkload(String name) {
        return workloads().stream().filter(w -> w.name().equals(name)).findFirst();
    }

    Workload workload(String name) {
        return findWorkload(name).orElseThrow(() -> new AssertionError(this.name + ": no workload " + name));
    }

    /** Workloads whose pod labels match all of {@code selector}. */
    List<Workload> selected(Map<String, String> selector) {
        return workloads().stream()
                .filter(w -> w.labels().entrySet().containsAll(selector.entrySet()))
                .toList();
    }

    Stream<NetworkPolicy> networkPolicies() {
        return all(NetworkPolicy.class).stream();
    }

    Stream<Service> services() {
        return all(Service.class).stream();
    }

    /** A ConfigMap value by the name used in the base (kustomize adds a hash suffix to generated ones). */
    String configValue(String configMap, String key) {
        ConfigMap cm = all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(configMap)
                        || c.getMetadata().getName().matches(Pattern.quote(configMap) + "-[a-z0-9]{10}"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no ConfigMap " + configMap));
        String value = cm.getData() == null ? null : cm.getData().get(key);
        assertThat(value).as("%s: ConfigMap %s key %s", name, configMap, key).isNotNull();
        return value;
    }

    /** The data centre the Cassandra StatefulSet's nodes join ({@code CASSANDRA_DC} of its container). */
    String cassandraDc() {
        StatefulSet cassandra = get(StatefulSet.class, "cassandra");
        return env(cassandra.getSpec().getTemplate().getSpec().getContainers().get(0))
                .get("CASSANDRA_DC");
    }

    /**
     * The container's environment as the kubelet would set it: literal values ($(VAR) expanded), ConfigMap keys
     * resolved; secrets and downward-API fields as {@code <secret name/key>} / {@code <field path>}.
     */
    Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        if (container.getEnv() == null) {
            return env;
        }
        for (EnvVar var : container.getEnv()) {
            String value;
            if (var.getValueFrom() == null) {
                value = expand(var.getValue() == null ? "" : var.getValue(), env);
            } else if (var.getValueFrom().getConfigMapKeyRef() != null) {
                value = configValue(
                        var.getValueFrom().getConfigMapKeyRef().getName(),
                        var.getValueFrom().getConfigMapKeyRef().getKey());
            } else if (var.getValueFrom().getSecretKeyRef() != null) {
                value = "<secret " + var.getValueFrom().getSecretKeyRef().getName() + "/"
                        + var.getValueFrom().getSecretKeyRef().getKey() + ">";
            } else if (var.getValueFrom().getFieldRef() != null) {
                value = "<" + var.getValueFrom().getFieldRef().getFieldPath() + ">";
            } else {
                value = "<" + var.getValueFrom() + ">";
            }
            env.put(var.getName(), value);
        }
        return env;
    }

    /** command + args with $(VAR) expanded from the container's environment. */
    List<String> commandLine(Container container) {
        Map<String, String> env = env(container);
        List<String> line = new ArrayList<>();
        Stream.concat(
                        Stream.ofNullable(container.getCommand()).flatMap(List::stream),
                        Stream.ofNullable(container.getArgs()).flatMap(List::stream))
                .forEach(a -> line.add(expand(a, env)));
        return line;
    }

    static String expand(String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null) {
                throw new AssertionError(
                        "$(" + m.group(1) + ") in '" + text + "' is not defined before it in the container's env");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The value after {@code --name} (or {@code --name=value}) in a command line, if present. */
    static Optional<String> option(List<String> line, String name) {
        for (int i = 0; i < line.size(); i++) {
            if (line.get(i).equals(name) && i + 1 < line.size()) {
                return Optional.of(line.get(i + 1));
            }
            if (line.get(i).startsWith(name + "=")) {
                return Optional.of(line.get(i).substring(name.length() + 1));
            }
        }
        return Optional.empty();
    }

    boolean hasSecret(String name) {
        return all(Secret.class).stream()
                .anyMatch(s -> s.getMetadata().getName().equals(name)
                        || s.getMetadata().getName().matches(Pattern.quote(name) + "-[a-z0-9]{10}"));
    }

    /** {@code registry.example.com/finnhub-pipeline/x:1} -> {@code finnhub-pipeline/x:1} (prod's images: entries). */
    static String withoutRegistry(String image) {
        return image.replaceFirst("^[^/]+\\.[^/]+/(finnhub-pipeline/)", "$1");
    }

    /** A generated name without kustomize's hash suffix. */
    static String baseName(String name) {
        return name.replaceFirst("-[a-z0-9]{10}$", "");
    }

    static String generated(Rendered r, String base) {
        return r.all(Secret.class).stream()
                .map(s -> s.getMetadata().getName())
                .filter(n -> baseName(n).equals(base))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no Secret " + base));
    }
}
