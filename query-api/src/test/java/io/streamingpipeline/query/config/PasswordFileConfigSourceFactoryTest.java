package io.streamingpipeline.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileConfigSourceFactoryTest {

    @Test
    void readsTheFileWithoutTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "  s3cret\n");
        assertThat(PasswordFileConfigSourceFactory.read(file)).isEqualTo("s3cret");
    }

    @Test
    void missingOrEmptyFileSaysWhich(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> PasswordFileConfigSourceFactory.read(dir.resolve("absent")))
                .hasMessageContaining("QUERY_CASSANDRA_PASSWORD_FILE")
                .hasMessageContaining("absent");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> PasswordFileConfigSourceFactory.read(empty)).hasMessageContaining("is empty");
    }
}
