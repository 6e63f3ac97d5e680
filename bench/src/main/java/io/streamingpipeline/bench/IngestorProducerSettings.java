package io.streamingpipeline.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The Kafka producer settings of the ingestor's trades channel, read from the {@code application.properties} packaged in
 * the ingestor under test and from the {@code -D} options it is started with (a system property overrides the file in
 * Quarkus, also the file's prod-profile value), so that bench/ingest's baseline sends with exactly the settings the
 * ingestor sends with.
 */
final class IngestorProducerSettings {

    /** The producer settings that shape throughput and the work per record; the rest (timeouts) do not apply. */
    static final List<String> KEYS = List.of(
            "acks",
            "enable.idempotence",
            "compression.type",
            "linger.ms",
            "batch.size",
            "buffer.memory",
            "max.in.flight.requests.per.connection");

    private static final String CHANNEL = "mp.messaging.outgoing.trades.";
    private static final String PROFILE = "%prod.";

    private IngestorProducerSettings() {}

    /** {@code key=value} for each of {@link #KEYS}, as the ingestor runs them (the prod profile's value first). */
    static List<String> of(Properties properties) {
        return of(properties, new Properties());
    }

    /**
     * {@code key=value} for each of {@link #KEYS}, as Quarkus resolves them from the {@code application.properties}
     * {@code file} and the {@code system} properties: a source with a higher ordinal wins (system properties 400, the
     * file 250), and within one source the prod profile's value wins over the plain one.
     */
    static List<String> of(Properties file, Properties system) {
        List<String> settings = new ArrayList<>();
        for (String key : KEYS) {
            String value = valueIn(system, CHANNEL + key);
            if (value == null) {
                value = valueIn(file, CHANNEL + key);
            }
            if (value == null || value.isBlank() || value.contains("${")) {
                throw new IllegalStateException("the ingestor's settings have no plain value for " + CHANNEL + key
                        + " (was " + value + "): bench/ingest gives it to the baseline as it is");
            }
            settings.add(key + "=" + value.trim());
        }
        return settings;
    }

    private static String valueIn(Properties source, String name) {
        return source.getProperty(PROFILE + name, source.getProperty(name));
    }

    /** {@code settings} with {@code key} set to {@code value} (replaced where it is, else added). */
    static List<String> with(List<String> settings, String key, String value) {
        List<String> changed = new ArrayList<>();
        boolean replaced = false;
        for (String setting : settings) {
            if (setting.startsWith(key + "=")) {
                changed.add(key + "=" + value);
                replaced = true;
            } else {
                changed.add(setting);
            }
        }
        if (!replaced) {
            changed.add(key + "=" + value);
        }
        return changed;
    }

    /** The value of {@code key} in {@code settings}, or null. */
    static String valueOf(List<String> settings, String key) {
        return settings.stream()
                .filter(s -> s.startsWith(key + "="))
                .map(s -> s.substring(key.length() + 1))
                .findFirst()
                .orElse(null);
    }

    /**
     * The settings of the packaged ingestor in {@code app} (a {@code quarkus-app} directory) started with {@code
     * jvmOptions}.
     */
    static List<String> ofApp(Path app, String jvmOptions) {
        Path jarDir = app.resolve("app");
        try (Stream<Path> jars = Files.list(jarDir)) {
            Path jar = jars.filter(p -> p.toString().endsWith(".jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no jar in " + jarDir));
            try (JarFile file = new JarFile(jar.toFile())) {
                var entry = file.getJarEntry("application.properties");
                if (entry == null) {
                    throw new IllegalStateException("no application.properties in " + jar);
                }
                Properties properties = new Properties();
                try (InputStream in = file.getInputStream(entry)) {
                    properties.load(in);
                }
                Properties system = new Properties();
                for (String option : jvmOptions.trim().split("\\s+")) {
                    int equals = option.indexOf('=');
                    if (option.startsWith("-D") && equals > 2) {
                        system.setProperty(option.substring(2, equals), option.substring(equals + 1));
                    }
                }
                return of(properties, system);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the ingestor's settings in " + app, e);
        }
    }
}
