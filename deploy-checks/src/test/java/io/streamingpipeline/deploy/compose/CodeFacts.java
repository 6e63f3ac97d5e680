package io.streamingpipeline.deploy.compose;

import io.streamingpipeline.spark.JobSettings;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the deployables read, taken from their sources as text (so that Compose, Dockerfiles, Kubernetes and the code
 * cannot drift apart unnoticed): the ingestor's and the query service's configuration keys, the Spark job's options,
 * ports, versions.
 */
public final class CodeFacts {

    static final String INGESTOR_PROPERTIES = "ingestor/src/main/resources/application.properties";
    static final String INGESTOR_SOURCES = "ingestor/src/main/java";
    static final String FEED_CONFIG = "ingestor/src/main/java/io/streamingpipeline/ingestor/config/FeedConfig.java";
    static final String JOB_HEALTH_SERVER =
            "spark-streaming/src/main/java/io/streamingpipeline/spark/health/HealthServer.java";
    static final String LOCAL_STACK_MAIN =
            "local-stack/src/main/java/io/streamingpipeline/localstack/LocalStackMain.java";
    static final String QUERY_API_PROPERTIES = "query-api/src/main/resources/application.properties";
    static final String QUERY_API_SOURCES = "query-api/src/main/java";
    static final String QUERY_CONFIG = "query-api/src/main/java/io/streamingpipeline/query/config/QueryConfig.java";
    static final String QUERY_PASSWORD_FILE_FACTORY =
            "query-api/src/main/java/io/streamingpipeline/query/config/PasswordFileConfigSourceFactory.java";

    private CodeFacts() {}

    // ------------------------------------------------------------------ ingestor

    /** application.properties as loaded (profile-prefixed keys included as written). */
    public static Properties ingestorProperties() {
        return properties(INGESTOR_PROPERTIES);
    }

    /**
     * Every configuration key the ingestor reads: the keys of application.properties (without a {@code %profile.}
     * prefix), the {@code @ConfigMapping} of FeedConfig (prefix, method names in kebab case or {@code @WithName},
     * nested groups), and each {@code @ConfigProperty(name = ...)} of its sources.
     */
    public static Set<String> ingestorConfigKeys() {
        return configKeys(INGESTOR_PROPERTIES, FEED_CONFIG, INGESTOR_SOURCES);
    }

    private static Properties properties(String relative) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repo.read(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The keys of a properties file (profile prefix dropped), of a {@code @ConfigMapping}, of {@code @ConfigProperty}. */
    private static Set<String> configKeys(String propertiesFile, String configMapping, String sources) {
        Set<String> keys = new TreeSet<>();
        for (String key : properties(propertiesFile).stringPropertyNames()) {
            keys.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key);
        }
        keys.addAll(configMappingKeys(Repo.read(configMapping)));
        try (Stream<Path> files = Files.walk(Repo.path(sources))) {
            Pattern configProperty = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                Matcher m = configProperty.matcher(readString(f));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** Quarkus' environment variable of a configuration key: upper case, every other character an underscore. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The environment variables the ingestor reads (one per configuration key). */
    public static Set<String> ingestorEnvNames() {
        Set<String> names = new TreeSet<>();
        ingestorConfigKeys().forEach(key -> names.add(envName(key)));
        return names;
    }

    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern NESTED_INTERFACE = Pattern.compile("interface\\s+(\\w+)\\s*\\{([^{}]*)}");
    /** Annotations, return type, method name of an interface method {@code Type name();}. */
    private static final Pattern METHOD =
            Pattern.compile("((?:@\\w+(?:\\([^)]*\\))?\\s*)*)([\\w.<>, ?]+?)\\s+(\\w+)\\(\\)\\s*;");

    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\\s*\"([^\"]+)\"\\s*\\)");

    /**
     * Keys of a SmallRye {@code @ConfigMapping} interface. Groups are nested interfaces declared side by side in the
     * mapping (FeedConfig's {@code Reconnect}, QueryConfig's {@code Pipeline} whose {@code ingestor()} and {@code job()}
     * are {@code Component}s): {@code query.pipeline.job.health-url}.
     */
    static Set<String> configMappingKeys(String source) {
        String text = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher prefixMatcher = MAPPING_PREFIX.matcher(text);
        if (!prefixMatcher.find()) {
            throw new IllegalArgumentException("no @ConfigMapping(prefix = ...) found");
        }
        String prefix = prefixMatcher.group(1);
        Map<String, String> groups = new LinkedHashMap<>();
        Matcher nested = NESTED_INTERFACE.matcher(text);
        while (nested.find()) {
            groups.put(nested.group(1), nested.group(2));
        }
        String topLevel = NESTED_INTERFACE
                .matcher(text.substring(text.indexOf('{', prefixMatcher.end()) + 1))
                .replaceAll("");
        Set<String> keys = new TreeSet<>();
        collectKeys(prefix, topLevel, groups, keys, 0);
        return keys;
    }

    private static void collectKeys(String path, String body, Map<String, String> groups, Set<String> keys, int depth) {
        if (depth > 5) {
            throw new IllegalArgumentException("config groups nested deeper than 5 (a cycle?) at " + path);
        }
        for (Map.Entry<String, String> method : methods(body).entrySet()) {
            String key = path + "." + method.getKey();
            String group = groups.get(method.getValue());
            if (group != null) {
                collectKeys(key, group, groups, keys, depth + 1);
            } else {
                keys.add(key);
            }
        }
    }

    /** Property name (WithName or kebab-cased method name) -> simple return type. */
    private static Map<String, String> methods(String body) {
        Map<String, String> result = new LinkedHashMap<>();
        Matcher m = METHOD.matcher(body);
        while (m.find()) {
            Matcher withName = WITH_NAME.matcher(m.group(1));
            String name = withName.find() ? withName.group(1) : kebab(m.group(3));
            result.put(name, m.group(2).strip());
        }
        return result;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** {@code quarkus.http.port} of the ingestor (8080 if unset, Quarkus' default). */
    public static int ingestorHttpPort() {
        return Integer.parseInt(
                ingestorProperties().getProperty("quarkus.http.port", "8080").strip());
    }

    // ------------------------------------------------------------------ query service

    public static Properties queryApiProperties() {
        return properties(QUERY_API_PROPERTIES);
    }

    /** A key written as {@code # key=value} or {@code # key / ENV_NAME} in a comment of a properties file. */
    private static final Pattern DOCUMENTED_KEY =
            Pattern.compile("(?m)^#\\s*([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)\\s*(?:=|/\\s)");

    /**
     * Every configuration key the query service reads: as for the ingestor (application.properties, the
     * {@code @ConfigMapping} QueryConfig, {@code @ConfigProperty}), plus the extensions' keys its application.properties
     * documents in comments without setting them ({@code quarkus.cassandra.auth.username}). A documented key under the
     * mapping's own prefix ({@code query.}) does not count: for those the mapping is the truth, so that a stale comment
     * cannot keep a renamed key alive.
     */
    public static Set<String> queryApiConfigKeys() {
        Set<String> keys = configKeys(QUERY_API_PROPERTIES, QUERY_CONFIG, QUERY_API_SOURCES);
        Matcher prefix = MAPPING_PREFIX.matcher(Repo.read(QUERY_CONFIG));
        if (!prefix.find()) {
            throw new AssertionError(QUERY_CONFIG + " has no @ConfigMapping(prefix = ...)");
        }
        Matcher documented = DOCUMENTED_KEY.matcher(Repo.read(QUERY_API_PROPERTIES));
        while (documented.find()) {
            if (!documented.group(1).startsWith(prefix.group(1) + ".")) {
                keys.add(documented.group(1));
            }
        }
        return keys;
    }

    /** The environment variables the query service reads (one per configuration key). */
    public static Set<String> queryApiEnvNames() {
        Set<String> names = new TreeSet<>();
        queryApiConfigKeys().forEach(key -> names.add(envName(key)));
        return names;
    }

    /** The key whose file PasswordFileConfigSourceFactory reads the Cassandra password from. */
    public static String queryApiPasswordFileKey() {
        Matcher m = Pattern.compile("String\\s+PASSWORD_FILE\\s*=\\s*\"([^\"]+)\"")
                .matcher(Repo.read(QUERY_PASSWORD_FILE_FACTORY));
        if (!m.find()) {
            throw new AssertionError(QUERY_PASSWORD_FILE_FACTORY + " has no constant PASSWORD_FILE");
        }
        return m.group(1);
    }

    /** {@code quarkus.http.port} of the query service (8080 if unset, Quarkus' default). */
    public static int queryApiHttpPort() {
        return Integer.parseInt(
                queryApiProperties().getProperty("quarkus.http.port", "8080").strip());
    }

    // ------------------------------------------------------------------ Quarkus services (ingestor, query service)

    /**
     * The Quarkus service's health paths are smallrye-health's defaults under Quarkus' default non-application root
     * ({@code /q/health/ready}, {@code /live}, {@code /started}): the extension is in its POM and nothing in its
     * application.properties moves them. Fails otherwise.
     */
    public static void assertDefaultHealthPaths(String module) {
        Properties properties = properties(module + "/src/main/resources/application.properties");
        for (String key : properties.stringPropertyNames()) {
            if (key.endsWith("quarkus.http.non-application-root-path")
                    || (key.contains("quarkus.smallrye-health.") && key.endsWith("path"))) {
                throw new AssertionError(
                        module + " moves its health endpoints: " + key + "=" + properties.getProperty(key));
            }
        }
        if (!Repo.read(module + "/pom.xml").contains("<artifactId>quarkus-smallrye-health</artifactId>")) {
            throw new AssertionError(module + "/pom.xml lacks quarkus-smallrye-health: no /q/health");
        }
    }

    /** The Prometheus path of a Quarkus service: {@code quarkus.micrometer.export.prometheus.path}, else /q/metrics. */
    public static String metricsPath(String module) {
        if (!Repo.read(module + "/pom.xml")
                .contains("<artifactId>quarkus-micrometer-registry-prometheus</artifactId>")) {
            throw new AssertionError(module + "/pom.xml lacks quarkus-micrometer-registry-prometheus: no metrics");
        }
        return properties(module + "/src/main/resources/application.properties")
                .getProperty("quarkus.micrometer.export.prometheus.path", "/q/metrics")
                .strip();
    }

    // ------------------------------------------------------------------ Spark job

    /** The job's options (name without {@code --}) and their defaults (null: none), as the job declares them. */
    public static Map<String, String> jobOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        JobSettings.OPTIONS.forEach(o -> options.put(o.name(), o.defaultValue()));
        return options;
    }

    /** A string constant of the job's HealthServer, e.g. {@code READY} = {@code /health/ready}. */
    public static String jobHealthPath(String constant) {
        Matcher m = Pattern.compile("String\\s+" + constant + "\\s*=\\s*\"([^\"]+)\"")
                .matcher(Repo.read(JOB_HEALTH_SERVER));
        if (!m.find()) {
            throw new AssertionError("HealthServer has no constant " + constant);
        }
        return m.group(1);
    }

    // ------------------------------------------------------------------ local stack, versions

    /** Topic constant name in TradeContract (TRADES_TOPIC, DEAD_LETTER_TOPIC) -> partitions the local stack creates. */
    public static Map<String, Integer> localStackTopicPartitions() {
        Map<String, Integer> result = new LinkedHashMap<>();
        Matcher m = Pattern.compile("topics\\.put\\(TradeContract\\.(\\w+),\\s*(\\d+)\\)")
                .matcher(Repo.read(LOCAL_STACK_MAIN));
        while (m.find()) {
            result.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return result;
    }

    /** The text of {@code <name>...</name>} in a POM (first occurrence). */
    public static String pomProperty(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">\\s*([^<\\s]+)\\s*</" + Pattern.quote(name) + ">")
                .matcher(Repo.read(pom));
        if (!m.find()) {
            throw new AssertionError(pom + " has no <" + name + ">");
        }
        return m.group(1);
    }

    public static List<String> lines(String relative) {
        return List.of(Repo.read(relative).split("\n"));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
