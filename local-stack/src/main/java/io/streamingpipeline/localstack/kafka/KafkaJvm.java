package io.streamingpipeline.localstack.kafka;

import io.streamingpipeline.localstack.process.JavaProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A child JVM running a Kafka main class (the broker, the storage tool) from the engine's jars, with the data dir's
 * log4j2 configuration, in the data dir, its output appended to the broker's out file.
 */
final class KafkaJvm {
    private final Path libDir;
    private final Path dataDir;
    private final Path outFile;
    private final String name;
    private final Path log4j2;
    private final List<String> options = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private String[] args = new String[0];

    KafkaJvm(Path libDir, Path dataDir, Path outFile, String name, Path log4j2) {
        this.libDir = libDir;
        this.dataDir = dataDir;
        this.outFile = outFile;
        this.name = name;
        this.log4j2 = log4j2;
    }

    KafkaJvm jvmOptions(List<String> opts) {
        options.addAll(opts);
        return this;
    }

    KafkaJvm jvmOptions(String... opts) {
        return jvmOptions(List.of(opts));
    }

    KafkaJvm systemProperty(String key, String value) {
        properties.put(key, value);
        return this;
    }

    KafkaJvm args(String... arguments) {
        this.args = arguments;
        return this;
    }

    JavaProcess start(String mainClass) {
        JavaProcess.Builder builder = JavaProcess.builder(mainClass)
                .name(name)
                .jarsIn(libDir)
                .jvmOptions(options)
                .systemProperty("log4j2.configurationFile", log4j2.toUri().toString())
                .systemProperty("java.awt.headless", "true")
                .workingDirectory(dataDir)
                .output(outFile)
                .args(args);
        properties.forEach(builder::systemProperty);
        return builder.start();
    }
}
