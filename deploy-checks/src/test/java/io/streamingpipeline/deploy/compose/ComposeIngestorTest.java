package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.deploy.code.QuarkusService;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Compose's ingestor service against the ingestor's compiled configuration: its variables, port and health. */
class ComposeIngestorTest {

    private static final QuarkusService INGESTOR = QuarkusService.INGESTOR;
    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ExampleEnv.compose();
    }

    @Test
    void ingestorGetsKafkaAndATokenByNamesItReads() {
        Set<String> readable = INGESTOR.envNames();
        // sanity: the derivation finds the mapping's keys, nested groups and @ConfigProperty names
        assertThat(readable)
                .contains(
                        "FINNHUB_URL",
                        "FINNHUB_TOKEN",
                        "FINNHUB_TOKEN_FILE",
                        "FINNHUB_SYMBOLS",
                        "FINNHUB_RECONNECT_INITIAL_BACKOFF",
                        "FINNHUB_WATCHDOG_IDLE_TIMEOUT",
                        "FINNHUB_MAX_MESSAGE_BYTES",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "TRADES_TOPIC",
                        "TRADES_DLQ_TOPIC",
                        "QUARKUS_HTTP_PORT",
                        "INGESTOR_SHUTDOWN_FLUSH_TIMEOUT",
                        "INGESTOR_HEALTH_MAX_ACK_DELAY");

        Map<String, String> env = compose.environment("ingestor");
        assertThat(env)
                .containsEntry(TradeContract.Env.KAFKA_BOOTSTRAP_SERVERS, "kafka:9092")
                .containsKey(TradeContract.Env.FINNHUB_TOKEN);
    }

    /** Each variable Compose gives the ingestor is a test of its own: a misspelt one fails by name. */
    @TestFactory
    Stream<DynamicTest> eachVariableIsOneTheIngestorReads() {
        Set<String> readable = INGESTOR.envNames();
        return compose.environment("ingestor").keySet().stream()
                .map(name -> dynamicTest(
                        "Compose sets " + name + " on the ingestor, which reads it",
                        () -> assertThat(readable).contains(name)));
    }

    @Test
    void ingestorPortAndHealthcheckAreQuarkus() {
        int port = INGESTOR.httpPort();
        assertThat(port).isEqualTo(8080);
        Map<String, String> env = compose.environment("ingestor");
        assertThat(env.get("QUARKUS_HTTP_PORT")).isEqualTo(String.valueOf(port));
        assertThat(compose.containerPorts("ingestor")).containsExactly(port);
        // /q/health/ready = smallrye-health's default root under Quarkus' default non-application root
        INGESTOR.assertDefaultHealthPaths();
        assertThat(compose.healthcheck("ingestor")).contains("http://localhost:" + port + "/q/health/ready");
    }

    @Test
    void ingestorWaitsForTheTopics() {
        assertThat(compose.dependsOn("ingestor")).containsEntry("kafka-topics", "service_completed_successfully");
    }
}
