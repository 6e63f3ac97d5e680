package io.streamingpipeline.deploy.code;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.contract.TradeContract;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The environment variables trade-contract declares ({@link TradeContract.Env}) are ones the ingestor reads, each a
 * test of its own; Compose and Kubernetes give them by these names (their tests use the constants).
 */
class ContractEnvTest {

    /** The values of TradeContract.Env's constants. */
    static Stream<String> declared() {
        return Arrays.stream(TradeContract.Env.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(ContractEnvTest::value);
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "the ingestor reads {0}")
    @MethodSource("declared")
    void ingestorReadsTheContractsVariable(String name) {
        assertThat(QuarkusService.INGESTOR.envNames()).contains(name);
    }

    @Test
    void everyTopicsVariableIsTheContracts() {
        assertThat(declared())
                .contains(Arrays.stream(Topic.values()).map(Topic::env).toArray(String[]::new));
    }
}
