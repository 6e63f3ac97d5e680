package io.streamingpipeline.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Where each engine's jars are: {@code local-stack/engines/<engine>/target/lib}, filled by that module's build and
 * written into {@code localstack.properties} at build time. Overridable per engine, first match wins:
 * system property {@code localstack.<engine>.lib}, environment variable {@code LOCALSTACK_<ENGINE>_LIB}.
 */
public final class EngineLibraries {

    private static final String RESOURCE = "/localstack.properties";

    private EngineLibraries() {}

    /** The Kafka broker's jars (kafka_2.13, kafka-tools, log4j2). */
    public static Path kafka() {
        return of("kafka");
    }

    /** The version of the Kafka jars this module was built against. */
    public static String kafkaVersion() {
        return buildProperties().getProperty("kafka.version");
    }

    /** The Cassandra node's jars (cassandra-all and its closure, jamm for the -javaagent). */
    public static Path cassandra() {
        return of("cassandra");
    }

    /** The Cassandra version of {@link #cassandra()}, read from its {@code cassandra-all-<version>.jar}. */
    public static String cassandraVersion() {
        return jarVersion(cassandra(), "cassandra-all-");
    }

    /** The Spark cluster's jars (the spark-sql_2.12 closure): what {@code $SPARK_HOME/jars} of a distribution holds. */
    public static Path spark() {
        return of("spark");
    }

    /** The Spark version of {@link #spark()}, read from its {@code spark-core_2.12-<version>.jar}. */
    public static String sparkVersion() {
        return jarVersion(spark(), "spark-core_2.12-");
    }

    /** The directory of {@code engine}'s jars; fails with instructions if it is missing or holds no jar. */
    public static Path of(String engine) {
        String property = "localstack." + engine + ".lib";
        String env = "LOCALSTACK_" + engine.toUpperCase(Locale.ROOT) + "_LIB";
        String source;
        String value = System.getProperty(property);
        if (value != null && !value.isBlank()) {
            source = "system property " + property;
        } else if ((value = System.getenv(env)) != null && !value.isBlank()) {
            source = "environment variable " + env;
        } else {
            value = buildProperties().getProperty(engine + ".lib");
            source = "localstack.properties (written when local-stack was built)";
            if (value == null) {
                throw new IllegalStateException(
                        "No jar directory known for engine '" + engine + "': set " + property + " or " + env);
            }
        }
        Path dir = Path.of(value).toAbsolutePath().normalize();
        if (!hasJars(dir)) {
            throw new IllegalStateException("The " + engine + " engine's jars are not in " + dir + " (from " + source
                    + "). Build them with `./mvnw -pl local-stack/engines/" + engine + " package` (or install), or"
                    + " point " + property + " / " + env + " at a directory of its jars.");
        }
        return dir;
    }

    /** The version part of the one jar in {@code dir} named {@code <prefix><version>.jar}. */
    static String jarVersion(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> versions = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(".jar"))
                    .map(n -> n.substring(prefix.length(), n.length() - ".jar".length()))
                    .filter(v -> !v.isEmpty() && Character.isDigit(v.charAt(0)))
                    .toList();
            if (versions.size() != 1) {
                throw new IllegalStateException(
                        "Expected one " + prefix + "<version>.jar in " + dir + ", found " + versions);
            }
            return versions.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasJars(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties buildProperties() {
        Properties properties = new Properties();
        try (InputStream in = EngineLibraries.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
        return properties;
    }
}
