package io.streamingpipeline.deploy.code;

import com.datastax.oss.quarkus.runtime.api.config.CassandraClientConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import io.streamingpipeline.ingestor.config.FeedConfig;
import io.streamingpipeline.query.config.QueryConfig;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;

/**
 * A Quarkus service as it is built: the configuration keys it reads, taken from its compiled classes (each
 * {@code @ConfigMapping} interface, introspected by SmallRye Config itself; each {@code @ConfigProperty} name, from
 * the class files by Jandex), from its packaged application.properties, and from the {@code @ConfigMapping} of the
 * extensions whose keys its deployments set. Compose and Kubernetes are checked against these.
 */
public final class QuarkusService {

    public static final QuarkusService INGESTOR = new QuarkusService("ingestor", FeedConfig.class, List.of());
    /** The Cassandra extension's keys ({@code quarkus.cassandra.auth.username}) are set by its deployments. */
    public static final QuarkusService QUERY_API =
            new QuarkusService("query-api", QueryConfig.class, List.of(CassandraClientConfig.class));

    private static final DotName CONFIG_MAPPING = DotName.createSimple(ConfigMapping.class.getName());
    private static final DotName CONFIG_PROPERTY =
            DotName.createSimple("org.eclipse.microprofile.config.inject.ConfigProperty");

    private final String module;
    private final Class<?> anyClass;
    private final List<Class<?>> extensionMappings;
    private ModuleOutput output;
    private Index index;
    private Set<String> configKeys;

    private QuarkusService(String module, Class<?> anyClass, List<Class<?>> extensionMappings) {
        this.module = module;
        this.anyClass = anyClass;
        this.extensionMappings = extensionMappings;
    }

    public String module() {
        return module;
    }

    /** The packaged application.properties, profile-prefixed keys ({@code %test.x}) as written. */
    public Properties properties() {
        return output().properties("application.properties");
    }

    private synchronized ModuleOutput output() {
        if (output == null) {
            output = ModuleOutput.of(anyClass);
        }
        return output;
    }

    private synchronized Index index() {
        if (index == null) {
            index = output().index();
        }
        return index;
    }

    /**
     * Every configuration key the service reads: application.properties' keys (without a {@code %profile.} prefix),
     * the keys of its own and its extensions' {@code @ConfigMapping} interfaces, its {@code @ConfigProperty} names.
     */
    public synchronized Set<String> configKeys() {
        if (configKeys == null) {
            Set<String> keys = new TreeSet<>();
            for (String key : properties().stringPropertyNames()) {
                keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
            }
            keys.addAll(mappingKeys());
            for (AnnotationInstance property : index().getAnnotations(CONFIG_PROPERTY)) {
                AnnotationValue name = property.value("name");
                if (name == null || name.asString().isEmpty()) {
                    throw new AssertionError(module + ": @ConfigProperty without a name on " + property.target()
                            + "; name the key, so that it can be set by its environment variable");
                }
                keys.add(name.asString());
            }
            configKeys = Collections.unmodifiableSet(keys);
        }
        return configKeys;
    }

    /** The keys of the service's own {@code @ConfigMapping} interfaces and of its extensions'. */
    public Set<String> mappingKeys() {
        Set<String> keys = new TreeSet<>();
        for (AnnotationInstance mapping : index().getAnnotations(CONFIG_MAPPING)) {
            if (mapping.target().kind() == AnnotationTarget.Kind.CLASS) {
                keys.addAll(keysOf(load(mapping.target().asClass().name().toString())));
            }
        }
        extensionMappings.forEach(type -> keys.addAll(keysOf(type)));
        return keys;
    }

    /** The keys of one {@code @ConfigMapping} interface, named as SmallRye Config names them (prefix included). */
    public static Set<String> keysOf(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        if (annotation == null) {
            throw new IllegalArgumentException(mapping.getName() + " is not a @ConfigMapping");
        }
        return new TreeSet<>(ConfigMappings.getProperties(new ConfigMappings.ConfigClass(mapping, annotation.prefix()))
                .keySet());
    }

    /** The environment variables the service reads (one per configuration key). */
    public Set<String> envNames() {
        Set<String> names = new TreeSet<>();
        configKeys().forEach(key -> names.add(envName(key)));
        return names;
    }

    /** Quarkus' environment variable of a configuration key: upper case, every other character an underscore. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Whether some class of the service carries the annotation (e.g. a health check's {@code @Startup}). */
    public boolean hasAnnotation(String annotation) {
        return !index().getAnnotations(DotName.createSimple(annotation)).isEmpty();
    }

    /** {@code quarkus.http.port} (8080 if unset, Quarkus' default). */
    public int httpPort() {
        return Integer.parseInt(
                properties().getProperty("quarkus.http.port", "8080").strip());
    }

    /**
     * The service's health paths are smallrye-health's defaults under Quarkus' default non-application root
     * ({@code /q/health/ready}, {@code /live}, {@code /started}): the extension is in its POM and nothing in its
     * application.properties moves them. Fails otherwise.
     */
    public void assertDefaultHealthPaths() {
        Properties properties = properties();
        for (String key : properties.stringPropertyNames()) {
            if (key.endsWith("quarkus.http.non-application-root-path")
                    || (key.contains("quarkus.smallrye-health.") && key.endsWith("path"))) {
                throw new AssertionError(
                        module + " moves its health endpoints: " + key + "=" + properties.getProperty(key));
            }
        }
        if (!Pom.of(module + "/pom.xml").dependsOn("io.quarkus", "quarkus-smallrye-health")) {
            throw new AssertionError(module + "/pom.xml lacks quarkus-smallrye-health: no /q/health");
        }
    }

    /** The Prometheus path: {@code quarkus.micrometer.export.prometheus.path}, else /q/metrics. */
    public String metricsPath() {
        if (!Pom.of(module + "/pom.xml").dependsOn("io.quarkus", "quarkus-micrometer-registry-prometheus")) {
            throw new AssertionError(module + "/pom.xml lacks quarkus-micrometer-registry-prometheus: no metrics");
        }
        return properties()
                .getProperty("quarkus.micrometer.export.prometheus.path", "/q/metrics")
                .strip();
    }

    private Class<?> load(String name) {
        try {
            return Class.forName(name, false, anyClass.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(module + ": cannot load " + name, e);
        }
    }
}
