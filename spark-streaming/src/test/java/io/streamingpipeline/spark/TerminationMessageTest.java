package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageTest {

    @TempDir
    Path dir;

    @Test
    void theMessageReplacesTheFileKubernetesMounted() throws Exception {
        Path file = Files.writeString(dir.resolve("termination-log"), "an earlier message that is longer");

        TerminationMessage.write(file, "Refused to start: the topic is missing");

        assertThat(file).hasContent("Refused to start: the topic is missing");
    }

    @Test
    void withoutTheFileNothingIsWritten() {
        Path file = dir.resolve("termination-log");

        TerminationMessage.write(file, "Refused to start: the topic is missing");

        assertThat(file).doesNotExist();
    }

    @Test
    void aLongMessageIsCutToWhatKubernetesKeeps() throws Exception {
        Path file = Files.createFile(dir.resolve("termination-log"));

        TerminationMessage.write(file, "x".repeat(10_000));

        assertThat(Files.size(file)).isEqualTo(TerminationMessage.MAX_BYTES);
    }
}
