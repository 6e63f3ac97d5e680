package io.streamingpipeline.localstack.pipeline;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * How to reach the Cassandra node of a pipeline's data dir ({@code <data>/pipeline.properties}), so that
 * {@code ./pipeline cql} finds it. The password stays in its own file ({@code <data>/secrets/cassandra-password}).
 */
record PipelineConnection(Path dataDir, String host, int port, String username, String password) {

    static final String FILE = "pipeline.properties";
    static final String USERNAME = "pipeline";

    static PipelineConnection create(Path dataDir, int port, String password) {
        return new PipelineConnection(dataDir, "127.0.0.1", port, USERNAME, password);
    }

    void save() {
        Properties p = new Properties();
        p.setProperty("cassandra.host", host);
        p.setProperty("cassandra.port", Integer.toString(port));
        p.setProperty("cassandra.username", username);
        p.setProperty(
                "cassandra.password-file",
                dataDir.resolve(PipelineMain.PASSWORD_FILE).toString());
        try (Writer w = Files.newBufferedWriter(dataDir.resolve(FILE))) {
            p.store(w, "written by ./pipeline run; read by ./pipeline cql");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PipelineConnection load(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new IllegalStateException("No pipeline in " + dataDir + " (" + FILE
                    + " is missing): start one with ./pipeline run" + " or name its data dir with --data-dir.");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
            String password = Files.readString(Path.of(p.getProperty("cassandra.password-file")))
                    .trim();
            return new PipelineConnection(
                    dataDir,
                    p.getProperty("cassandra.host"),
                    Integer.parseInt(p.getProperty("cassandra.port")),
                    p.getProperty("cassandra.username"),
                    password);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
