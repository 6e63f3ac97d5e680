package io.streamingpipeline.deploy.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;

/**
 * What a module's build put on this test's classpath (its {@code target/classes}, or its jar in a reactor build past
 * {@code package}), found from one of its classes: its class files as a Jandex index, its packaged resources.
 */
final class ModuleOutput {

    private final Path root;

    private ModuleOutput(Path root) {
        this.root = root;
    }

    static ModuleOutput of(Class<?> anyClassOfTheModule) {
        Path location;
        try {
            location = Path.of(anyClassOfTheModule
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (Files.isDirectory(location)) {
            return new ModuleOutput(location);
        }
        try {
            // kept open for the test JVM's lifetime: every reader of the module shares it
            FileSystem jar = FileSystems.newFileSystem(location);
            return new ModuleOutput(jar.getPath("/"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + location, e);
        }
    }

    /** Every class of the module, indexed from its class files (nothing is loaded). */
    Index index() {
        Indexer indexer = new Indexer();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    indexer.index(in);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot index the classes under " + root, e);
        }
        return indexer.complete();
    }

    /** A packaged properties file (e.g. application.properties), read by java.util.Properties (UTF-8, as Quarkus reads it). */
    Properties properties(String resource) {
        Path file = root.resolve(resource);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("no " + resource + " in " + root);
        }
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
