package io.streamingpipeline.deploy.code;

import io.streamingpipeline.contract.Topic;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The contract's topics as test arguments, so that each topic is a test case of its own, named after it:
 * {@code (Topic, default name, partitions, environment variable)}.
 */
public final class DeclaredTopics {

    private DeclaredTopics() {}

    /** For {@code @MethodSource("io.streamingpipeline.deploy.code.DeclaredTopics#arguments")}. */
    public static Stream<Arguments> arguments() {
        return Arrays.stream(Topic.values()).map(t -> Arguments.of(t, t.defaultName(), t.partitions(), t.env()));
    }
}
