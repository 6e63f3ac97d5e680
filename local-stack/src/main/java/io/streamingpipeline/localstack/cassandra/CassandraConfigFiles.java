package io.streamingpipeline.localstack.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a single-node Cassandra's {@code cassandra.yaml} and its logback configuration into its data dir. */
final class CassandraConfigFiles {

    private CassandraConfigFiles() {}

    /**
     * One node on 127.0.0.1, all directories under {@code dataDir}, password authentication with role-based
     * authorization, group commit (an acknowledged write is on disk: see shared/versions.md, "Durability") and
     * off-heap memtables.
     * Values are YAML scalars as written; {@code overrides} replace or add top-level keys.
     */
    static Map<String, String> settings(
            String clusterName,
            Path dataDir,
            String host,
            int nativePort,
            int storagePort,
            Map<String, String> overrides) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("cluster_name", quote(clusterName));
        s.put("num_tokens", "16");
        s.put("allocate_tokens_for_local_replication_factor", "1");
        s.put("partitioner", "org.apache.cassandra.dht.Murmur3Partitioner");
        s.put("endpoint_snitch", "SimpleSnitch");

        s.put("data_file_directories", "\n  - " + quote(dataDir.resolve("data").toString()));
        s.put("commitlog_directory", quote(dataDir.resolve("commitlog").toString()));
        s.put("saved_caches_directory", quote(dataDir.resolve("saved_caches").toString()));
        s.put("hints_directory", quote(dataDir.resolve("hints").toString()));
        s.put("cdc_raw_directory", quote(dataDir.resolve("cdc_raw").toString()));

        // The default (periodic, 10 s) acknowledges writes before they are on disk: kill -9 lost ~1 % of
        // acknowledged writes here. Group commit waits for the fsync of a 2 ms group before acknowledging.
        s.put("commitlog_sync", "group");
        s.put("commitlog_sync_group_window", "2ms");

        // Memtable cells in native memory instead of the heap (up to a quarter of -Xmx, as on-heap): the young
        // collections no longer copy every buffered write. Same setting in Compose and Kubernetes.
        s.put("memtable_allocation_type", "offheap_objects");

        s.put(
                "seed_provider",
                "\n  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n"
                        + "    parameters:\n      - seeds: " + quote(host + ":" + storagePort));
        s.put("listen_address", host);
        s.put("rpc_address", host);
        s.put("storage_port", Integer.toString(storagePort));
        s.put("native_transport_port", Integer.toString(nativePort));
        s.put("start_native_transport", "true");

        s.put("authenticator", "PasswordAuthenticator");
        s.put("authorizer", "CassandraAuthorizer");
        s.put("role_manager", "CassandraRoleManager");

        // a local node on a laptop / 2-core machine
        s.put("concurrent_compactors", "1");
        s.put("concurrent_reads", "8");
        s.put("concurrent_writes", "16");
        s.put("concurrent_counter_writes", "8");

        s.putAll(overrides);
        return s;
    }

    static void writeYaml(Path file, Map<String, String> settings) {
        String text =
                "# Written by io.streamingpipeline.localstack.cassandra.CassandraNode at every start; edits are lost.\n"
                        + settings.entrySet().stream()
                                .map(e -> e.getKey() + ":" + (e.getValue().startsWith("\n") ? "" : " ") + e.getValue())
                                .collect(Collectors.joining("\n", "", "\n"));
        write(file, text);
    }

    /** Everything into {@code logFile} (rolled at 50 MiB, 3 kept), nothing on the console. */
    static void writeLogback(Path file, Path logFile) {
        String log = xml(logFile.toAbsolutePath().toString());
        String text = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by io.streamingpipeline.localstack.cassandra.CassandraNode at every start; edits are lost. -->
                <configuration scan="false">
                  <appender name="FILE" class="ch.qos.logback.core.rolling.RollingFileAppender">
                    <file>%1$s</file>
                    <rollingPolicy class="ch.qos.logback.core.rolling.FixedWindowRollingPolicy">
                      <fileNamePattern>%1$s.%%i</fileNamePattern>
                      <minIndex>1</minIndex>
                      <maxIndex>3</maxIndex>
                    </rollingPolicy>
                    <triggeringPolicy class="ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy">
                      <maxFileSize>50MB</maxFileSize>
                    </triggeringPolicy>
                    <encoder>
                      <pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern>
                    </encoder>
                  </appender>
                  <root level="INFO">
                    <appender-ref ref="FILE"/>
                  </root>
                </configuration>
                """.formatted(log);
        write(file, text);
    }

    /** A double-quoted YAML scalar. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String xml(String value) {
        return value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
