package io.streamingpipeline.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code cassandra} and {@code spark} commands' options. */
class LocalStackMainEnginesTest {

    @Test
    void parsesCassandraOptionsWithLocalDefaults() {
        var defaults = LocalStackMain.CassandraOptions.parse(new ArrayDeque<>(List.of("--data-dir", "/tmp/c")));
        assertThat(defaults.dataDir()).isEqualTo(Path.of("/tmp/c"));
        assertThat(defaults.port()).isZero();
        assertThat(defaults.user()).isEqualTo("pipeline");
        assertThat(defaults.heap()).isEqualTo("512m");

        var options = LocalStackMain.CassandraOptions.parse(new ArrayDeque<>(List.of(
                "--data-dir",
                "d",
                "--port",
                "9042",
                "--storage-port",
                "7000",
                "--user",
                "app",
                "--password",
                "s3cret",
                "--heap",
                "1g")));
        assertThat(options.port()).isEqualTo(9042);
        assertThat(options.storagePort()).isEqualTo(7000);
        assertThat(options.user()).isEqualTo("app");
        assertThat(options.password()).isEqualTo("s3cret");
        assertThat(options.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> LocalStackMain.CassandraOptions.parse(
                        new ArrayDeque<>(List.of("--data-dir", "d", "--heap", "big"))))
                .hasMessageContaining("--heap");
    }

    @Test
    void parsesSparkOptions() {
        var options = LocalStackMain.SparkOptions.parse(new ArrayDeque<>(List.of(
                "--data-dir", "s", "--port", "7077", "--webui-port", "8080", "--cores", "4", "--memory", "3g")));
        assertThat(options.port()).isEqualTo(7077);
        assertThat(options.webUiPort()).isEqualTo(8080);
        assertThat(options.cores()).isEqualTo(4);
        assertThat(options.memory()).isEqualTo("3g");
        assertThat(LocalStackMain.SparkOptions.parse(new ArrayDeque<>(List.of("--data-dir", "s"))))
                .isEqualTo(new LocalStackMain.SparkOptions(Path.of("s"), 0, 0, 2, "2g"));
        assertThatThrownBy(() ->
                        LocalStackMain.SparkOptions.parse(new ArrayDeque<>(List.of("--data-dir", "s", "--cores", "0"))))
                .hasMessageContaining("--cores");
    }

    @Test
    void wrongEngineCommandLinesExitWith2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(LocalStackMain.run(new String[] {"cassandra"}, System.out, errStream))
                .isEqualTo(2);
        assertThat(LocalStackMain.run(new String[] {"spark", "--data-dir", "x", "--port", "-1"}, System.out, errStream))
                .isEqualTo(2);
        assertThat(LocalStackMain.run(
                        new String[] {"cassandra", "--data-dir", "x", "--user", "cassandra"}, System.out, errStream))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--data-dir is required")
                .contains("not a port number: -1")
                .contains("must not be the default superuser")
                .contains("usage:");
    }
}
