package io.streamingpipeline.deploy.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A Compose file as Compose sees it: YAML with anchors and merge keys resolved (SnakeYAML), then every string
 * interpolated from an env file ({@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR-default}},
 * {@code ${VAR:?error}}, {@code ${VAR?error}}, {@code $VAR}, {@code $$} for a literal {@code $}).
 */
public final class ComposeFile {

    /** {@code $$}, or a variable: braced with an optional modifier, or bare. */
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Map<String, Object> model;

    private ComposeFile(Map<String, Object> model) {
        this.model = model;
    }

    /** The file as YAML (anchors and merge keys resolved), before interpolation: what a JSON schema validates. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String yamlText) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object loaded = new Yaml(new SafeConstructor(options)).load(yamlText);
        if (!(loaded instanceof Map)) {
            throw new IllegalArgumentException("a Compose file is a YAML mapping");
        }
        return (Map<String, Object>) loaded;
    }

    public static ComposeFile load(Path file, Map<String, String> env) {
        return new ComposeFile(castMap(interpolate(parse(readString(file)), env)));
    }

    public Map<String, Object> model() {
        return model;
    }

    public Map<String, Object> services() {
        return castMap(model.get("services"));
    }

    public Map<String, Object> service(String name) {
        Object service = services().get(name);
        if (service == null) {
            throw new AssertionError("compose.yaml has no service '" + name + "'");
        }
        return castMap(service);
    }

    /** The service's environment, list form ({@code KEY=value}) or map form. */
    public Map<String, String> environment(String serviceName) {
        Object environment = service(serviceName).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (environment instanceof List<?> list) {
            for (Object item : list) {
                String entry = String.valueOf(item);
                int eq = entry.indexOf('=');
                result.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : entry.substring(eq + 1));
            }
        }
        return result;
    }

    /** {@code command}, {@code entrypoint}, {@code healthcheck.test}, ... as a list of strings. */
    public static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> result.add(String.valueOf(item)));
        } else if (value != null) {
            result.add(String.valueOf(value));
        }
        return result;
    }

    public List<String> command(String serviceName) {
        return strings(service(serviceName).get("command"));
    }

    /** The healthcheck's test as one string (its CMD / CMD-SHELL marker dropped). */
    public String healthcheck(String serviceName) {
        Object healthcheck = service(serviceName).get("healthcheck");
        if (!(healthcheck instanceof Map<?, ?> map)) {
            return null;
        }
        List<String> test = strings(map.get("test"));
        if (!test.isEmpty() && (test.get(0).equals("CMD") || test.get(0).equals("CMD-SHELL"))) {
            test = test.subList(1, test.size());
        }
        return String.join(" ", test);
    }

    /** {@code target} -> {@code source} of the service's volumes (short syntax {@code source:target[:mode]}). */
    public Map<String, String> volumes(String serviceName) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String volume : strings(service(serviceName).get("volumes"))) {
            String[] parts = volume.split(":");
            result.put(parts[1], parts[0]);
        }
        return result;
    }

    /** The container ports of the service's {@code ports} (short syntax {@code [ip:]host:container}). */
    public Set<Integer> containerPorts(String serviceName) {
        Set<Integer> result = new TreeSet<>();
        for (String port : strings(service(serviceName).get("ports"))) {
            String[] parts = port.split(":");
            result.add(Integer.parseInt(parts[parts.length - 1].replace("/tcp", "")));
        }
        return result;
    }

    /** The {@code condition} of each service the given one depends on. */
    public Map<String, String> dependsOn(String serviceName) {
        Map<String, String> result = new LinkedHashMap<>();
        Object dependsOn = service(serviceName).get("depends_on");
        if (dependsOn instanceof Map<?, ?> map) {
            map.forEach((name, spec) -> result.put(
                    String.valueOf(name),
                    spec instanceof Map<?, ?> s ? String.valueOf(s.get("condition")) : "service_started"));
        } else {
            strings(dependsOn).forEach(name -> result.put(name, "service_started"));
        }
        return result;
    }

    /** Names of the variables a Compose file's text interpolates. */
    public static Set<String> variablesIn(String yamlText) {
        Set<String> names = new TreeSet<>();
        Matcher m = VARIABLE.matcher(yamlText);
        while (m.find()) {
            if (m.group(1) != null) {
                names.add(m.group(1));
            } else if (m.group(4) != null) {
                names.add(m.group(4));
            }
        }
        return names;
    }

    /** An env file: {@code KEY=value} lines; blank lines and {@code #} comments ignored; quotes around values removed. */
    public static Map<String, String> readEnvFile(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : readString(file).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + ": not KEY=value: " + line);
            }
            String value = trimmed.substring(eq + 1).strip();
            if (value.length() >= 2
                    && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(trimmed.substring(0, eq).strip(), value);
        }
        return env;
    }

    /** Names of the variables an env file mentions, set or commented out ({@code # NAME=...}). */
    public static Set<String> documentedVariables(Path envFile) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^#?\\s*([A-Z][A-Z0-9_]*)=").matcher(readString(envFile));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static String interpolate(String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(4) != null) {
                replacement = env.getOrDefault(m.group(4), "");
            } else {
                String name = m.group(1);
                String modifier = m.group(2);
                String argument = m.group(3);
                String value = env.get(name);
                boolean unset = value == null;
                boolean unsetOrEmpty = unset || value.isEmpty();
                if (modifier == null) {
                    replacement = unset ? "" : value;
                } else {
                    boolean missing = modifier.startsWith(":") ? unsetOrEmpty : unset;
                    if (modifier.endsWith("-")) {
                        replacement = missing ? argument : value;
                    } else if (missing) {
                        throw new IllegalArgumentException("required variable " + name + " is missing: " + argument);
                    } else {
                        replacement = value;
                    }
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Object interpolate(Object node, Map<String, String> env) {
        if (node instanceof String s) {
            return interpolate(s, env);
        }
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> result.put(String.valueOf(k), interpolate(v, env)));
            return result;
        }
        if (node instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            list.forEach(item -> result.add(interpolate(item, env)));
            return result;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a mapping, got " + value);
        }
        return (Map<String, Object>) value;
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
