package io.streamingpipeline.ingestor.testing;

import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import java.nio.file.Path;
import java.util.Map;

/** This module's packaged app ({@code package} runs before failsafe), its console log in {@code target/it-logs}. */
public final class PackagedIngestor {

    private PackagedIngestor() {}

    public static IngestorProcess start(String name, Map<String, String> env) {
        return start(name, env, "-Xmx512m");
    }

    public static IngestorProcess start(String name, Map<String, String> env, String... jvmOptions) {
        return IngestorProcess.builder(Path.of("target", "quarkus-app"))
                .log(Path.of("target", "it-logs", name + ".log"))
                .env(env)
                .jvmOptions(jvmOptions)
                .start();
    }
}
