package io.streamingpipeline.localstack.spark;

import io.streamingpipeline.localstack.EngineLibraries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds the jar of {@code spark-smoke-job/SmokeJob.java} (a test resource): compiled with the JDK's compiler against
 * the Spark engine's jars, so Spark never reaches local-stack's test classpath.
 */
final class SmokeJobJar {

    static final String MAIN_CLASS = "localstack.smoke.SmokeJob";

    private SmokeJobJar() {}

    static Path build(Path dir) throws IOException {
        Path src = dir.resolve("src/localstack/smoke/SmokeJob.java");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        try (InputStream in = SmokeJobJar.class.getResourceAsStream("/spark-smoke-job/SmokeJob.java")) {
            Files.copy(in, src);
        }
        String classpath;
        try (Stream<Path> jars = Files.list(EngineLibraries.spark())) {
            classpath = jars.map(Path::toString)
                    .filter(p -> p.endsWith(".jar"))
                    .collect(Collectors.joining(java.io.File.pathSeparator));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        var fileManager = javac.getStandardFileManager(null, null, null);
        boolean ok = javac.getTask(
                        errors,
                        fileManager,
                        null,
                        List.of("--release", "17", "-classpath", classpath, "-d", classes.toString()),
                        null,
                        fileManager.getJavaFileObjects(src))
                .call();
        if (!ok) {
            throw new IllegalStateException("SmokeJob did not compile: " + errors);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path jar = dir.resolve("smoke-job.jar");
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream jarOut = new JarOutputStream(out, manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jarOut.putNextEntry(
                        new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, jarOut);
                jarOut.closeEntry();
            }
        }
        return jar;
    }
}
