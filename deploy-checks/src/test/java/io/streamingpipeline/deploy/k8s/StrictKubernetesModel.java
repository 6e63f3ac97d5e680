package io.streamingpipeline.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Kubernetes YAML into fabric8's typed API model (8.0.0, i.e. the Kubernetes API of that release) and reports,
 * per object, everything the API server's strict field validation would reject:
 * <ul>
 *   <li>an unknown apiVersion/kind (no registered model class),</li>
 *   <li>a value of the wrong type that Jackson cannot read (e.g. {@code replicas: three}),</li>
 *   <li>an unknown or misspelt field anywhere: fabric8 keeps those in {@code additionalProperties}, which is walked
 *       recursively over the whole object graph,</li>
 *   <li>a value that was silently converted (e.g. {@code containerPort: "8080"}, a string read as a number): the
 *       object is written back and every field of the input must come back with the same JSON type and value,</li>
 *   <li>a resource quantity that does not parse ({@code memory: 2gb}).</li>
 * </ul>
 */
final class StrictKubernetesModel {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An object read from YAML, and what is wrong with it (empty = valid). */
    record Parsed(String id, HasMetadata object, List<String> problems) {}

    private StrictKubernetesModel() {}

    /** Every document of a multi-document YAML stream; {@code source} names it in messages. */
    static List<Parsed> parseAll(String source, String yaml) {
        List<Parsed> parsed = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            int index = 0;
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) {
                    continue;
                }
                parsed.add(parse(source + " document " + index, doc));
            }
        } catch (IOException e) {
            throw new AssertionError(source + " is not YAML: " + e.getMessage(), e);
        }
        return parsed;
    }

    static Parsed parse(String where, JsonNode doc) {
        List<String> problems = new ArrayList<>();
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        String name = doc.path("metadata").path("name").asText("?");
        String id = kind + "/" + name + " (" + where + ")";
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            problems.add(id + ": no apiVersion or kind");
            return new Parsed(id, null, problems);
        }
        Class<? extends KubernetesResource> type = SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind);
        if (type == null || type == GenericKubernetesResource.class || !HasMetadata.class.isAssignableFrom(type)) {
            problems.add(id + ": " + apiVersion + " " + kind + " is not a Kubernetes API type known to fabric8");
            return new Parsed(id, null, problems);
        }
        HasMetadata object;
        try {
            object = (HasMetadata) SERIALIZATION.unmarshal(JSON.writeValueAsString(doc), type);
        } catch (RuntimeException | IOException e) {
            problems.add(id + ": does not read as " + type.getSimpleName() + ": " + rootMessage(e));
            return new Parsed(id, null, problems);
        }
        walk(object, kind, problems, Collections.newSetFromMap(new IdentityHashMap<>()));
        try {
            JsonNode back = JSON.readTree(SERIALIZATION.asJson(object));
            compare(doc, back, kind, problems);
        } catch (IOException e) {
            problems.add(id + ": cannot write back: " + e.getMessage());
        }
        List<String> prefixed =
                problems.stream().map(p -> p.startsWith(id) ? p : id + ": " + p).toList();
        return new Parsed(id, object, prefixed);
    }

    /** Unknown fields (additionalProperties) and bad quantities, anywhere in the model. */
    private static void walk(Object value, String path, List<String> problems, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object item : collection) {
                walk(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        if (value instanceof Quantity quantity) {
            try {
                Quantity.getAmountInBytes(quantity);
            } catch (RuntimeException e) {
                problems.add(path + ": not a quantity: '" + quantity + "'");
            }
        }
        for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        || field.getType().isPrimitive()
                        || field.getType() == String.class) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add(path + ": unknown field(s) " + extra.keySet());
                    }
                    continue;
                }
                walk(fieldValue, path + "." + field.getName(), problems, seen);
            }
        }
    }

    /** Every field of the input comes back from the model with the same type and value. */
    private static void compare(JsonNode in, JsonNode back, String path, List<String> problems) {
        if (in.isObject()) {
            if (back == null || back.isMissingNode() || back.isNull()) {
                if (!in.isEmpty()) {
                    problems.add(path + ": dropped by the model");
                }
                return;
            }
            if (!back.isObject()) {
                problems.add(path + ": read as " + back.getNodeType() + ", written as an object");
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                compare(e.getValue(), back.get(e.getKey()), path + "." + e.getKey(), problems);
            }
            return;
        }
        if (in.isArray()) {
            if (back == null || back.isMissingNode() || back.isNull()) {
                if (!in.isEmpty()) {
                    problems.add(path + ": dropped by the model");
                }
                return;
            }
            if (!back.isArray() || back.size() != in.size()) {
                problems.add(path + ": list changed by the model");
                return;
            }
            for (int i = 0; i < in.size(); i++) {
                compare(in.get(i), back.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (in.isNull()) {
            return;
        }
        if (back == null || back.isMissingNode() || back.isNull()) {
            problems.add(path + ": value '" + in.asText() + "' dropped by the model");
        } else if (in.isNumber() != back.isNumber()
                || in.isTextual() != back.isTextual()
                || in.isBoolean() != back.isBoolean()) {
            problems.add(path + ": wrong type: " + describe(in) + " where the API wants "
                    + back.getNodeType().toString().toLowerCase());
        } else if (in.isNumber()
                ? in.decimalValue().compareTo(back.decimalValue()) != 0
                : !in.asText().equals(back.asText())) {
            problems.add(path + ": value changed by the model: '" + in.asText() + "' became '" + back.asText() + "'");
        }
    }

    private static String describe(JsonNode node) {
        return node.getNodeType().toString().toLowerCase() + " '" + node.asText() + "'";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
