package io.streamingpipeline.deploy.k8s;

import io.streamingpipeline.deploy.compose.CodeFacts;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the code says, read from its sources: the names and defaults the manifests must agree with. */
final class SourceFacts {

    static final Path INGESTOR_PROPERTIES = Path.of("ingestor/src/main/resources/application.properties");
    static final Path FEED_CONFIG =
            Path.of("ingestor/src/main/java/io/streamingpipeline/ingestor/config/FeedConfig.java");
    static final Path HEALTH_SERVER =
            Path.of("spark-streaming/src/main/java/io/streamingpipeline/spark/health/HealthServer.java");
    static final Path JOB_MAIN =
            Path.of("spark-streaming/src/main/java/io/streamingpipeline/spark/TradesToCassandraJob.java");

    private SourceFacts() {}

    static String read(Path relative) {
        try {
            return Files.readString(Kustomize.repoRoot().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Properties ingestorProperties() {
        Properties p = new Properties();
        try {
            p.load(new StringReader(read(INGESTOR_PROPERTIES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Quarkus' env mapping of a property key: non-alphanumerics become '_', upper case. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Env names the ingestor reads: every application.properties key (profiles stripped) and every FeedConfig key. */
    static Set<String> ingestorEnvNames() {
        Set<String> names = new LinkedHashSet<>();
        for (String key : ingestorProperties().stringPropertyNames()) {
            names.add(envName(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
        }
        feedConfigKeys().forEach(k -> names.add(envName(k)));
        return names;
    }

    /**
     * The keys of the {@code @ConfigMapping} FeedConfig: {@code prefix.method} in kebab case, or {@code @WithName},
     * nested interfaces as groups ({@code finnhub.reconnect.initial-backoff}).
     */
    static Set<String> feedConfigKeys() {
        String source = read(FEED_CONFIG);
        Matcher prefix = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)")
                .matcher(source);
        if (!prefix.find()) {
            throw new AssertionError(FEED_CONFIG + " has no @ConfigMapping(prefix = ...)");
        }
        Set<String> groups = new LinkedHashSet<>();
        Matcher nested = Pattern.compile("\\binterface\\s+(\\w+)\\s*\\{").matcher(source);
        while (nested.find()) {
            groups.add(nested.group(1));
        }
        Set<String> keys = new LinkedHashSet<>();
        Deque<String> path = new ArrayDeque<>();
        String pendingName = null;
        Pattern withName = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)");
        Pattern method = Pattern.compile("^\\s*([\\w<>,.? ]+?)\\s+(\\w+)\\(\\);");
        Pattern open = Pattern.compile("\\binterface\\s+(\\w+)\\s*\\{");
        for (String line : source.lines().toList()) {
            Matcher o = open.matcher(line);
            if (o.find()) {
                path.push(path.isEmpty() ? "" : kebab(o.group(1)));
                continue;
            }
            if (line.strip().equals("}")) {
                if (!path.isEmpty()) {
                    path.pop();
                }
                continue;
            }
            Matcher w = withName.matcher(line);
            if (w.find()) {
                pendingName = w.group(1);
                continue;
            }
            Matcher m = method.matcher(line);
            if (m.find() && !line.contains("static")) {
                String type = m.group(1).strip();
                if (!groups.contains(type)) {
                    StringBuilder key = new StringBuilder(prefix.group(1));
                    path.descendingIterator().forEachRemaining(g -> {
                        if (!g.isEmpty()) {
                            key.append('.').append(g);
                        }
                    });
                    key.append('.').append(pendingName != null ? pendingName : kebab(m.group(2)));
                    keys.add(key.toString());
                }
                pendingName = null;
            }
        }
        return keys;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Every option name of the Spark job ({@code --name}). */
    static Set<String> jobOptions() {
        return CodeFacts.jobOptions().keySet();
    }

    /** Default value of a job option, as the job declares it. */
    static String jobOptionDefault(String option) {
        Map<String, String> options = CodeFacts.jobOptions();
        if (!options.containsKey(option)) {
            throw new AssertionError("the Spark job has no option --" + option);
        }
        return options.get(option);
    }

    /** A {@code static final String NAME = "value"} of a source file. */
    static String constant(String source, String name) {
        Matcher m = Pattern.compile("\\b" + name + "\\s*=\\s*\"([^\"]*)\"").matcher(source);
        if (!m.find()) {
            throw new AssertionError("no constant " + name);
        }
        return m.group(1);
    }

    /**
     * Env names the query service reads. One derivation for Compose and Kubernetes: CodeFacts (application.properties,
     * the {@code @ConfigMapping} QueryConfig with its nested groups, the keys application.properties documents).
     */
    static Set<String> queryApiEnvNames() {
        return CodeFacts.queryApiEnvNames();
    }

    /** All Java sources of the query service, concatenated. */
    static String queryApiSources() {
        try (Stream<Path> files = Files.walk(Kustomize.repoRoot().resolve("query-api/src/main/java"))) {
            StringBuilder all = new StringBuilder();
            for (Path f :
                    files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                all.append(Files.readString(f)).append('\n');
            }
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String healthPath(String constant) {
        return constant(read(HEALTH_SERVER), constant);
    }

    static String jobMainClass() {
        String source = read(JOB_MAIN);
        Matcher pkg = Pattern.compile("package\\s+([\\w.]+);").matcher(source);
        if (!pkg.find()) {
            throw new AssertionError("no package in " + JOB_MAIN);
        }
        String file = JOB_MAIN.getFileName().toString();
        return pkg.group(1) + "." + file.substring(0, file.length() - ".java".length());
    }
}
