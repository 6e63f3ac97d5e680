package io.streamingpipeline.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FeedSimulatorMainTest {

    @Test
    void flagsBecomeTheConfig() {
        SimulatorConfig config = FeedSimulatorMain.parseArguments(
                "--port",
                "9999",
                "--token",
                "k",
                "--rate",
                "0",
                "--trades-per-frame",
                "500",
                "--seed=7",
                "--ping-interval-s",
                "1.5",
                "--drop-every-trades",
                "1000",
                "--drop-every-s",
                "30",
                "--drop-mode",
                "abnormal",
                "--max-drops",
                "5",
                "--malformed-every-frames",
                "10",
                "--record",
                "--max-symbols",
                "60",
                "--host",
                "0.0.0.0");

        assertThat(config.port()).isEqualTo(9999);
        assertThat(config.token()).isEqualTo("k");
        assertThat(config.tradesPerSecond()).isZero();
        assertThat(config.tradesPerFrame()).isEqualTo(500);
        assertThat(config.seed()).isEqualTo(7);
        assertThat(config.pingInterval()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(config.dropEveryTrades()).isEqualTo(1_000);
        assertThat(config.dropEvery()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.dropMode()).isEqualTo(DropMode.ABNORMAL);
        assertThat(config.maxDrops()).isEqualTo(5);
        assertThat(config.malformedEveryFrames()).isEqualTo(10);
        assertThat(config.recordTrades()).isTrue();
        assertThat(config.maxSymbolsPerConnection()).isEqualTo(60);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(FeedSimulatorMain.parseArguments()).isEqualTo(SimulatorConfig.defaults());
        assertThat(FeedSimulatorMain.parseArguments("--help")).isNull();
    }

    @Test
    void badFlagsAreRejectedWithAClearMessage() {
        assertThatThrownBy(() -> FeedSimulatorMain.parseArguments("--nope", "1"))
                .hasMessage("unknown flag --nope");
        assertThatThrownBy(() -> FeedSimulatorMain.parseArguments("--nope")).hasMessage("unknown flag --nope");
        assertThatThrownBy(() -> FeedSimulatorMain.parseArguments("--rate", "fast"))
                .hasMessage("--rate needs a whole number, not 'fast'");
        assertThatThrownBy(() -> FeedSimulatorMain.parseArguments("--port")).hasMessage("--port needs a value");
        assertThatThrownBy(() -> FeedSimulatorMain.parseArguments("--drop-mode", "sometimes"))
                .hasMessageContaining("NORMAL, ABNORMAL or STALL");
        assertThatThrownBy(() -> FeedSimulatorMain.parseArguments("--replay", "/no/such/file.jsonl"))
                .hasMessageContaining("cannot read");
    }

    @Test
    void theCliAnnouncesItsPortAndStopsOnSigterm() throws Exception {
        Process process = java("--port", "0", "--token", "cli-secret", "--rate", "100");
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertThat(first).matches("SIMULATOR LISTENING ws://127\\.0\\.0\\.1:\\d+/");
            process.toHandle().destroy(); // SIGTERM; Process#destroy would also close our end of its stdout
            String rest = out.lines().collect(Collectors.joining("\n"));
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(rest).contains("SIMULATOR STOPPED").doesNotContain("cli-secret");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aBadFlagExitsWithCode2AndOneLine() throws Exception {
        Process process = java("--drop-mode", "sometimes");
        try {
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(error.strip()).doesNotContain("\n").startsWith("feed-simulator: --drop-mode");
        } finally {
            process.destroyForcibly();
        }
    }

    private static Process java(String... flags) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] command = new String[flags.length + 4];
        command[0] = javaBin;
        command[1] = "-cp";
        command[2] = System.getProperty("java.class.path");
        command[3] = FeedSimulatorMain.class.getName();
        System.arraycopy(flags, 0, command, 4, flags.length);
        return new ProcessBuilder(command).start();
    }
}
