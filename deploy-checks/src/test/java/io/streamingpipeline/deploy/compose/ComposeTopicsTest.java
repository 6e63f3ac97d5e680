package io.streamingpipeline.deploy.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.deploy.code.SparkJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each topic trade-contract declares ({@link Topic}) is created by Compose's kafka-topics with its partitions, and
 * given to the ingestor and the job under its name: a topic missing in compose.yaml fails its own test cases.
 */
class ComposeTopicsTest {

    static final String TOPICS = "io.streamingpipeline.deploy.code.DeclaredTopics#arguments";
    private static final Pattern CREATE =
            Pattern.compile("--create --if-not-exists\\s+--topic (\\S+) --partitions (\\d+) --replication-factor 1");
    private static final Pattern DESCRIBE = Pattern.compile("--describe --topic (\\S+)");

    private static ComposeFile compose;

    @BeforeAll
    static void load() {
        compose = ExampleEnv.compose();
    }

    /** Topic -> partitions, as kafka-topics' command creates them. */
    private static Map<String, Integer> created() {
        Map<String, Integer> created = new LinkedHashMap<>();
        Matcher m = CREATE.matcher(command());
        while (m.find()) {
            created.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return created;
    }

    private static String command() {
        return String.join(" ", compose.command("kafka-topics")).replaceAll("\\s+", " ");
    }

    @ParameterizedTest(name = "Compose creates topic {1} with {2} partitions")
    @MethodSource(TOPICS)
    void topicIsCreatedWithItsPartitions(Topic topic, String name, int partitions, String variable) {
        assertThat(created()).containsEntry(name, partitions);
        Matcher describe = DESCRIBE.matcher(command());
        assertThat(describe.find()).as("kafka-topics describes what it created").isTrue();
        assertThat(List.of(describe.group(1).split(","))).contains(name);
    }

    @ParameterizedTest(name = "Compose gives the ingestor {3}={1}")
    @MethodSource(TOPICS)
    void ingestorIsGivenTheTopic(Topic topic, String name, int partitions, String variable) {
        assertThat(compose.environment("ingestor")).containsEntry(variable, name);
    }

    @ParameterizedTest(name = "Compose runs the job on topic {1}")
    @MethodSource(TOPICS)
    void jobIsGivenTheTopic(Topic topic, String name, int partitions, String variable) {
        SparkJob.topicOption(topic)
                .ifPresent(option -> assertThat(ComposeJobCommand.jobOptions(compose, "spark-submit"))
                        .containsEntry(option.name(), name));
    }

    /** Nothing but the contract's topics, in its order (the order local stack and Kubernetes create them in). */
    @Test
    void onlyTheDeclaredTopicsAreCreated() {
        assertThat(created()).containsExactlyEntriesOf(Topic.defaultPartitionsByName());
    }
}
