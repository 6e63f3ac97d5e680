package io.streamingpipeline.localstack.cassandra;

import io.streamingpipeline.localstack.process.EngineStartException;
import io.streamingpipeline.localstack.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The command line of a {@link CassandraNode}'s JVM: {@code CassandraDaemon} in the foreground from the engine's jars,
 * with jamm as its agent, the JDK 17 options, its configuration from the data dir and the start-up shortcuts of a
 * single node.
 */
final class CassandraJvm {

    /**
     * The options of Cassandra 5.0's {@code conf/jvm17-server.options} that it needs to run on JDK 17, and the
     * ones of {@code jvm-server.options} that matter on a small machine (see shared/versions.md).
     */
    public static final List<String> JDK17_OPTIONS = List.of(
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports=java.sql/java.sql=ALL-UNNAMED",
            "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports=jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Djdk.attach.allowAttachSelf=true",
            "-Djava.net.preferIPv4Stack=true",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:+UseG1GC",
            "-XX:+ParallelRefProcEnabled",
            "-XX:MaxTenuringThreshold=1",
            "-Xss256k");

    private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";

    private CassandraJvm() {}

    /** The node's JVM, to be started: its files in {@code dataDir}, {@code conf/} first on the class path. */
    static JavaProcess.Builder daemon(Path libDir, Path dataDir, String heap, List<String> jvmOptions, Path outFile) {
        Path conf = dataDir.resolve("conf");
        Path triggers = dataDir.resolve("triggers");
        return JavaProcess.builder(MAIN_CLASS)
                .name("cassandra")
                .classpathEntry(conf)
                .jarsIn(libDir)
                .jvmOptions("-Xmx" + heap, "-javaagent:" + jammJar(libDir))
                .jvmOptions(JDK17_OPTIONS)
                .jvmOptions(jvmOptions)
                .systemProperty(
                        "cassandra.config",
                        conf.resolve("cassandra.yaml").toUri().toString())
                .systemProperty("cassandra.storagedir", dataDir.toString())
                .systemProperty("cassandra.logdir", dataDir.toString())
                .systemProperty("cassandra.triggers_dir", triggers.toString())
                .systemProperty(
                        "logback.configurationFile",
                        conf.resolve("logback.xml").toUri().toString())
                .systemProperty("cassandra-foreground", "yes")
                // one node: no need to wait for a ring to form or gossip to settle (50 s instead of 17 s otherwise)
                .systemProperty("cassandra.ring_delay_ms", "1000")
                .systemProperty("cassandra.skip_wait_for_gossip_to_settle", "0")
                // the default superuser is created 10 s after start by default; nobody else can create it here
                .systemProperty("cassandra.superuser_setup_delay_ms", "0")
                .systemProperty("java.awt.headless", "true")
                .workingDirectory(dataDir)
                .output(outFile);
    }

    private static Path jammJar(Path libDir) {
        try (Stream<Path> files = Files.list(libDir)) {
            return files.filter(f -> f.getFileName().toString().matches("jamm-[0-9.]+\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new EngineStartException(
                            "No jamm-*.jar in " + libDir + " (Cassandra needs it as -javaagent)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
