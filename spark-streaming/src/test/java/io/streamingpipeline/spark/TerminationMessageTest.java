package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageTest {

    @TempDir
    Path dir;

    @Test
    void theMessageReplacesTheFileTheEnvironmentNames() throws Exception {
        Path file = Files.writeString(dir.resolve("termination-log"), "an earlier message that is longer");

        TerminationMessage.write(
                Map.of(TerminationMessage.PATH_VARIABLE, file.toString()), "Refused to start: the topic is missing");

        assertThat(file).hasContent("Refused to start: the topic is missing");
    }

    @Test
    void aFileTheEnvironmentNamesIsCreated() {
        Path file = dir.resolve("driver.termination");

        TerminationMessage.write(Map.of(TerminationMessage.PATH_VARIABLE, file.toString()), "--topic: missing");

        assertThat(file).hasContent("--topic: missing");
    }

    @Test
    void withoutTheVariableNorKubernetesFileNothingIsWritten() {
        Path kubernetes = Path.of(TerminationMessage.KUBERNETES_DEFAULT);
        assumeFalse(Files.exists(kubernetes), "runs where Kubernetes mounted no termination log");

        TerminationMessage.write(Map.of(), "Refused to start: the topic is missing");

        assertThat(kubernetes).doesNotExist();
    }

    @Test
    void aLongMessageIsCutToWhatKubernetesKeeps() throws Exception {
        Path file = Files.createFile(dir.resolve("termination-log"));

        TerminationMessage.write(Map.of(TerminationMessage.PATH_VARIABLE, file.toString()), "x".repeat(10_000));

        assertThat(Files.size(file)).isEqualTo(TerminationMessage.MAX_BYTES);
    }

    @Test
    void aFileThatCannotBeWrittenIsNotAFailure() {
        Path file = dir.resolve("no-such-dir/termination-log");

        TerminationMessage.write(Map.of(TerminationMessage.PATH_VARIABLE, file.toString()), "Refused to start: x");

        assertThat(file).doesNotExist();
    }
}
