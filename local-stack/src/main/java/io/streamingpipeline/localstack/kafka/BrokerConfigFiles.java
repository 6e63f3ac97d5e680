package io.streamingpipeline.localstack.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Writes a single-node KRaft broker's {@code server.properties} and its log4j2 configuration into its data dir. */
final class BrokerConfigFiles {

    private BrokerConfigFiles() {}

    /** Broker+controller in one process, listening on 127.0.0.1 only, every replication factor and ISR 1. */
    static Map<String, String> serverProperties(
            Path logDirs, String host, int port, int controllerPort, Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDirs.toString());

        // one node: every replication factor and min ISR is 1
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("num.partitions", "1");

        // topics are created on purpose (the pipeline's contract), never by a typo in a producer
        p.put("auto.create.topics.enable", "false");
        p.put("delete.topic.enable", "true");
        p.put("group.initial.rebalance.delay.ms", "0");
        // after a kill -9 the controller refuses the restarted broker's registration (DUPLICATE_BROKER_REGISTRATION)
        // until the dead incarnation's session expires: 9 s by default, 3 s here
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "500");

        // a local dev broker on a laptop / 2-core machine: small segments, a day or 1 GiB per partition
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        p.put("log.retention.hours", "24");
        p.put("log.retention.bytes", Long.toString(1024L * 1024 * 1024));
        p.put("log.retention.check.interval.ms", "60000");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("metadata.log.segment.bytes", Integer.toString(8 * 1024 * 1024));

        p.putAll(overrides);
        return p;
    }

    static void writeServerProperties(Path file, Map<String, String> properties) {
        String text = "# Written by io.streamingpipeline.localstack.kafka.KafkaBroker at every start; edits are lost.\n"
                + properties.entrySet().stream()
                        .map(e -> escape(e.getKey()) + "=" + escape(e.getValue()))
                        .collect(Collectors.joining("\n", "", "\n"));
        write(file, text);
    }

    /** Everything into {@code logFile} (rolled at 50 MiB, 3 kept), nothing on the console. */
    static void writeLog4j2(Path file, Path logFile) {
        String log = xml(logFile.toAbsolutePath().toString());
        String text = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by io.streamingpipeline.localstack.kafka.KafkaBroker at every start; edits are lost. -->
                <Configuration status="WARN" shutdownHook="disable">
                  <Appenders>
                    <RollingFile name="file" fileName="%1$s" filePattern="%1$s.%%i">
                      <PatternLayout pattern="[%%d] %%p %%m (%%c)%%n"/>
                      <Policies><SizeBasedTriggeringPolicy size="50 MB"/></Policies>
                      <DefaultRolloverStrategy max="3"/>
                    </RollingFile>
                  </Appenders>
                  <Loggers>
                    <Root level="INFO"><AppenderRef ref="file"/></Root>
                    <Logger name="kafka.request.logger" level="WARN"/>
                    <Logger name="org.apache.kafka.common.metrics" level="WARN"/>
                    <Logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
                  </Loggers>
                </Configuration>
                """.formatted(log);
        write(file, text);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
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
