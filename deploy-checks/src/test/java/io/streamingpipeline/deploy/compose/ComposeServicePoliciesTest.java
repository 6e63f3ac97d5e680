package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What every Compose service has: a restart policy, resource limits, a healthcheck (one-shots excepted), loopback ports. */
class ComposeServicePoliciesTest {

    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ExampleEnv.compose();
    }

    @Test
    void servicesHaveRestartPoliciesLimitsAndHealthchecks() {
        Set<String> oneShots =
                Set.of("kafka-topics", "cassandra-roles", "cassandra-schema", "cassandra-grants", "airflow-init");
        compose.services().forEach((name, value) -> {
            Map<String, Object> service = ComposeFile.castMap(value);
            Map<String, Object> limits = ComposeFile.castMap(ComposeFile.castMap(
                            ComposeFile.castMap(service.get("deploy")).get("resources"))
                    .get("limits"));
            assertThat(limits).as(name + " limits").containsKeys("cpus", "memory");
            if (oneShots.contains(name)) {
                assertThat(service.get("restart")).as(name).isEqualTo("no");
                assertThat(service).as(name).doesNotContainKey("healthcheck");
            } else {
                assertThat(service.get("restart")).as(name).isEqualTo("unless-stopped");
                assertThat(compose.healthcheck(name)).as(name + " healthcheck").isNotBlank();
            }
        });
    }

    @Test
    void hostPortsAreBoundToLoopback() {
        compose.services()
                .keySet()
                .forEach(name -> ComposeFile.strings(compose.service(name).get("ports"))
                        .forEach(port -> assertThat(port).as(name).startsWith("127.0.0.1:")));
    }
}
