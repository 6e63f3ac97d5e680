package io.streamingpipeline.query.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * {@code query.cassandra.password-file} ({@code QUERY_CASSANDRA_PASSWORD_FILE}): the Cassandra password from a file, as
 * Docker and Kubernetes mount secrets. It becomes {@code quarkus.cassandra.auth.password} and wins over
 * {@code QUARKUS_CASSANDRA_AUTH_PASSWORD} (only a {@code -D} system property is stronger). Surrounding whitespace,
 * such as the trailing newline of {@code echo pw > file}, is dropped. A set but unreadable or empty file stops the
 * service at start with a message naming the file.
 */
public final class PasswordFileConfigSourceFactory implements ConfigSourceFactory {

    public static final String PASSWORD_FILE = "query.cassandra.password-file";
    public static final String PASSWORD = "quarkus.cassandra.auth.password";
    /** Above environment variables (300), below system properties (400). */
    static final int ORDINAL = 350;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue file = context.getValue(PASSWORD_FILE);
        if (file == null || file.getValue() == null || file.getValue().isBlank()) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(
                Map.of(PASSWORD, read(Path.of(file.getValue().strip()))), "query.cassandra.password-file", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    static String read(Path file) {
        String password;
        try {
            password = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalStateException(
                    PASSWORD_FILE + " (QUERY_CASSANDRA_PASSWORD_FILE) is " + file + ", which cannot be read: " + e, e);
        }
        if (password.isEmpty()) {
            throw new IllegalStateException(
                    PASSWORD_FILE + " (QUERY_CASSANDRA_PASSWORD_FILE) is " + file + ", which is empty");
        }
        return password;
    }
}
