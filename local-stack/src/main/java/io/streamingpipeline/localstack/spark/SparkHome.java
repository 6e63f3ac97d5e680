package io.streamingpipeline.localstack.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The {@code SPARK_HOME} of a local cluster: what a Spark distribution has and the standalone daemons need.
 * The worker builds each executor's classpath from {@code $SPARK_HOME/conf} and {@code $SPARK_HOME/jars/*}.
 */
final class SparkHome {

    /** INFO to stderr (which goes to the process's log file); Jetty and the streaming progress JSON less chatty. */
    static final String LOG4J2_PROPERTIES = """
            # Written by io.streamingpipeline.localstack.spark.SparkCluster at every start; edits are lost.
            rootLogger.level = info
            rootLogger.appenderRef.stderr.ref = console
            appender.console.type = Console
            appender.console.name = console
            appender.console.target = SYSTEM_ERR
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss.SSS} %p %c{1}: %m%n%ex
            logger.jetty.name = org.sparkproject.jetty
            logger.jetty.level = warn
            logger.hadoop.name = org.apache.hadoop
            logger.hadoop.level = warn
            logger.kafka.name = org.apache.kafka
            logger.kafka.level = warn
            logger.cassandra.name = com.datastax
            logger.cassandra.level = warn
            """;

    private SparkHome() {}

    /**
     * Creates (or refreshes) {@code home}: {@code jars} = a symbolic link to {@code libDir} (a copy where links are
     * not possible), {@code conf/log4j2.properties}, an empty {@code RELEASE} file as in a distribution.
     */
    static Path create(Path home, Path libDir) {
        try {
            Files.createDirectories(home.resolve("conf"));
            Files.writeString(
                    home.resolve("conf").resolve("log4j2.properties"), LOG4J2_PROPERTIES, StandardCharsets.UTF_8);
            Files.writeString(
                    home.resolve("RELEASE"),
                    "Spark jars of local-stack/engines/spark (" + libDir + ")\n",
                    StandardCharsets.UTF_8);
            linkJars(home.resolve("jars"), libDir.toAbsolutePath());
            return home.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the SPARK_HOME " + home, e);
        }
    }

    private static void linkJars(Path jars, Path libDir) throws IOException {
        if (Files.isSymbolicLink(jars)) {
            if (Files.readSymbolicLink(jars).equals(libDir)) {
                return;
            }
            Files.delete(jars);
        } else if (Files.isDirectory(jars, LinkOption.NOFOLLOW_LINKS)) {
            deleteRecursively(jars); // an earlier copy
        }
        try {
            Files.createSymbolicLink(jars, libDir);
        } catch (UnsupportedOperationException | IOException e) {
            Files.createDirectories(jars);
            try (Stream<Path> files = Files.list(libDir)) {
                for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                    Files.copy(jar, jars.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
