package io.streamingpipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorProducerSettingsTest {

    /** Each of the settings the baseline takes, set to 1 on the trades channel. */
    private static Properties everySettingOne() {
        Properties p = new Properties();
        for (String key : IngestorProducerSettings.KEYS) {
            p.setProperty("mp.messaging.outgoing.trades." + key, "1");
        }
        return p;
    }

    @Test
    void theBaselineGetsTheIngestorsOwnProducerSettings() throws IOException {
        Properties ingestor = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("../ingestor/src/main/resources/application.properties"))) {
            ingestor.load(in);
        }
        assertThat(IngestorProducerSettings.of(ingestor))
                .hasSize(IngestorProducerSettings.KEYS.size())
                .allSatisfy(setting -> {
                    String key = setting.substring(0, setting.indexOf('='));
                    assertThat(setting.substring(key.length() + 1))
                            .as(key)
                            .isEqualTo(ingestor.getProperty("mp.messaging.outgoing.trades." + key));
                });
    }

    @Test
    void theProdProfileWinsAndAMissingOrComputedValueIsRefused() {
        Properties p = everySettingOne();
        p.setProperty("%prod.mp.messaging.outgoing.trades.linger.ms", "7");
        assertThat(IngestorProducerSettings.of(p)).contains("linger.ms=7", "acks=1");

        p.setProperty("mp.messaging.outgoing.trades.batch.size", "${batch}");
        assertThatThrownBy(() -> IngestorProducerSettings.of(p)).hasMessageContaining("batch.size");
        p.remove("mp.messaging.outgoing.trades.batch.size");
        assertThatThrownBy(() -> IngestorProducerSettings.of(p)).hasMessageContaining("batch.size");
    }

    @Test
    void aSystemPropertyWinsOverTheFilesProdProfileAsInQuarkus() {
        Properties file = everySettingOne();
        file.setProperty("%prod.mp.messaging.outgoing.trades.linger.ms", "7");
        file.setProperty("%prod.mp.messaging.outgoing.trades.batch.size", "8");
        Properties system = new Properties();
        system.setProperty("mp.messaging.outgoing.trades.linger.ms", "20");
        system.setProperty("mp.messaging.outgoing.trades.acks", "0");
        system.setProperty("%prod.mp.messaging.outgoing.trades.acks", "all");

        assertThat(IngestorProducerSettings.of(file, system))
                .contains("linger.ms=20", "batch.size=8", "acks=all", "compression.type=1");
    }

    @Test
    void readFromThePackagedAppWithTheJvmOptionsOverridingIt(@TempDir Path app) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String key : IngestorProducerSettings.KEYS) {
            text.append("mp.messaging.outgoing.trades.").append(key).append("=1\n");
        }
        Files.createDirectories(app.resolve("app"));
        try (OutputStream file = Files.newOutputStream(app.resolve("app/ingestor.jar"));
                JarOutputStream jar = new JarOutputStream(file)) {
            jar.putNextEntry(new JarEntry("application.properties"));
            jar.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
            jar.closeEntry();
        }
        assertThat(IngestorProducerSettings.ofApp(app, "-Xmx512m")).contains("linger.ms=1", "batch.size=1");
        assertThat(IngestorProducerSettings.ofApp(
                        app, " -Xmx512m -Dmp.messaging.outgoing.trades.linger.ms=20 -Dother=x "))
                .contains("linger.ms=20", "batch.size=1");
    }

    @Test
    void oneSettingChangedForTheBaselinesSweep() {
        var settings = List.of("acks=all", "linger.ms=10", "batch.size=262144");
        assertThat(IngestorProducerSettings.with(settings, "linger.ms", "50"))
                .containsExactly("acks=all", "linger.ms=50", "batch.size=262144");
        assertThat(IngestorProducerSettings.with(settings, "linger.ms.extra", "1"))
                .containsExactly("acks=all", "linger.ms=10", "batch.size=262144", "linger.ms.extra=1");
        assertThat(IngestorProducerSettings.valueOf(settings, "linger.ms")).isEqualTo("10");
        assertThat(IngestorProducerSettings.valueOf(settings, "linger")).isNull();
    }
}
