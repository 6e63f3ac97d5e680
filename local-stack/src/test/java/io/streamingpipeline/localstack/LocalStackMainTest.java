package io.streamingpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackMainTest {

    @Test
    void parsesKafkaOptions() {
        var options = LocalStackMain.KafkaOptions.parse(
                new ArrayDeque<>(List.of("--data-dir", "/tmp/k", "--port", "9092", "--topics", "a:3, b:1,c")));

        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/k"));
        assertThat(options.port()).isEqualTo(9092);
        assertThat(options.controllerPort()).isZero();
        assertThat(options.topics()).containsExactly(Map.entry("a", 3), Map.entry("b", 1), Map.entry("c", 1));
    }

    @Test
    void defaultTopicsAreTheContractsTradesWithThreePartitionsAndDlqWithOne() {
        var options = LocalStackMain.KafkaOptions.parse(new ArrayDeque<>(List.of("--data-dir", "d")));

        assertThat(options.port()).isZero();
        assertThat(options.topics()).containsExactly(Map.entry("crypto_trades", 3), Map.entry("crypto_trades_dlq", 1));
        assertThat(LocalStackMain.KafkaOptions.parse(new ArrayDeque<>(List.of("--data-dir", "d", "--topics", "")))
                        .topics())
                .isEmpty();
    }

    @Test
    void rejectsWrongCommandLines() {
        assertThatThrownBy(() -> LocalStackMain.KafkaOptions.parse(new ArrayDeque<>(List.of("--port", "1"))))
                .hasMessageContaining("--data-dir is required");
        assertThatThrownBy(() -> LocalStackMain.KafkaOptions.parse(
                        new ArrayDeque<>(List.of("--data-dir", "d", "--topics", "a:0"))))
                .hasMessageContaining("a:0");
        assertThatThrownBy(() ->
                        LocalStackMain.KafkaOptions.parse(new ArrayDeque<>(List.of("--data-dir", "d", "--port", "x"))))
                .hasMessageContaining("not a port");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(LocalStackMain.run(new String[] {"zookeeper"}, System.out, errStream))
                .isEqualTo(2);
        assertThat(LocalStackMain.run(new String[] {}, System.out, errStream)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unknown engine 'zookeeper'")
                .contains("usage:");
    }
}
