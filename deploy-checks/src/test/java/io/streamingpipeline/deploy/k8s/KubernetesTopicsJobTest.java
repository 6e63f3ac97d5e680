package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.ALL;
import static io.streamingpipeline.deploy.k8s.Manifests.DRIVER;
import static io.streamingpipeline.deploy.k8s.Manifests.INGESTOR;
import static io.streamingpipeline.deploy.k8s.Manifests.TOPICS_JOB;
import static io.streamingpipeline.deploy.k8s.Manifests.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.deploy.code.SparkJob;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kafka-topics Job and the topics' users: each topic trade-contract declares ({@link Topic}) is created with its
 * partitions, awaited and read by the ingestor and read by the driver, a test case per kustomization and topic, so a
 * topic missing from the manifests fails by name; replication and partitions fit the brokers and executors.
 */
class KubernetesTopicsJobTest {

    /** The topics prod sizes itself: one Kafka partition per executor core. */
    private static final Set<Topic> SIZED_BY_PROD = Set.of(Topic.TRADES);

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void replicationAndPartitionsFitTheBrokersAndExecutors(String overlay) {
        Rendered r = Rendered.of(overlay);
        Container topics = r.workload(TOPICS_JOB).container("create-topics");
        Map<String, String> env = r.env(topics);
        int brokers = r.get(StatefulSet.class, "kafka").getSpec().getReplicas();

        ServiceEndpoints.assertKafkaBootstrap(r, env.get("KAFKA_BOOTSTRAP_SERVERS"));
        String script = r.configValue("kafka-scripts", "kafka-create-topics.sh");
        assertThat(script).contains("--if-not-exists");
        int rf = Integer.parseInt(env.get("TOPIC_REPLICATION_FACTOR"));
        int minIsr = Integer.parseInt(env.get("TOPIC_MIN_INSYNC_REPLICAS"));
        assertThat(rf).isBetween(1, brokers);
        assertThat(minIsr).isBetween(1, rf);

        int partitions = Integer.parseInt(env.get(Topic.TRADES.env() + "_PARTITIONS"));
        int coresMax = Integer.parseInt(r.configValue("pipeline-config", "spark-cores-max"));
        int executorCores = Integer.parseInt(r.configValue("pipeline-config", "spark-executor-cores"));
        int workerCores = Integer.parseInt(r.configValue("pipeline-config", "spark-worker-cores"));
        int workers = r.workload(WORKER).replicas();
        if (overlay.endsWith("dev")) {
            assertThat(partitions).as("the contract's partitions").isEqualTo(Topic.TRADES.partitions());
        } else {
            assertThat(brokers).isEqualTo(3);
            assertThat(rf).isEqualTo(3);
            assertThat(minIsr).as("a write survives one broker down").isEqualTo(2);
            assertThat(partitions).as("one Kafka partition per executor core").isEqualTo(coresMax);
            assertThat(coresMax).as("spark.cores.max = what the workers offer").isEqualTo(workers * workerCores);
        }
        // executors must fit in a worker, or they are never launched
        assertThat(workerCores % executorCores).isZero();
        assertThat(coresMax % executorCores).isZero();
        assertThat(Sizes.bytes(r.configValue("pipeline-config", "spark-executor-memory")))
                .isLessThanOrEqualTo(Sizes.bytes(r.configValue("pipeline-config", "spark-worker-memory")));
        // and the worker container holds what the worker offers (+ its daemon)
        Container worker = r.workload(WORKER).container(WORKER);
        assertThat(Quantity.getAmountInBytes(worker.getResources().getLimits().get("cpu"))
                        .doubleValue())
                .isGreaterThanOrEqualTo(workerCores);
        assertThat(Quantity.getAmountInBytes(worker.getResources().getLimits().get("memory"))
                        .longValue())
                .isGreaterThan(Sizes.bytes(r.configValue("pipeline-config", "spark-worker-memory"))
                        + Sizes.bytes(r.env(worker).get("SPARK_DAEMON_MEMORY")));
    }

    /** Each kustomization with each topic of the contract: {@code (directory, Topic, name, partitions, variable)}. */
    static Stream<Arguments> directoriesAndTopics() {
        return ALL.stream()
                .flatMap(dir -> Arrays.stream(Topic.values())
                        .map(t -> Arguments.of(dir, t, t.defaultName(), t.partitions(), t.env())));
    }

    /**
     * The topics Job creates each topic of the contract: its name in the contract's variable, its partitions in that
     * variable + {@code _PARTITIONS}, the contract's number except where prod sizes it.
     */
    @ParameterizedTest(name = "k8s {0} creates topic {2}")
    @MethodSource("directoriesAndTopics")
    void topicIsCreatedByTheTopicsJob(String dir, Topic topic, String name, int partitions, String variable) {
        Rendered r = Rendered.of(dir);
        Map<String, String> env = r.env(r.workload(TOPICS_JOB).container("create-topics"));
        String partitionsVariable = variable + "_PARTITIONS";
        assertThat(env).containsEntry(variable, name).containsKey(partitionsVariable);
        int configured = Integer.parseInt(env.get(partitionsVariable));
        if (dir.endsWith("prod") && SIZED_BY_PROD.contains(topic)) {
            assertThat(configured)
                    .as("%s: partitions of %s, sized by prod", dir, name)
                    .isPositive();
        } else {
            assertThat(configured).as("%s: partitions of %s", dir, name).isEqualTo(partitions);
        }
        assertThat(r.configValue("kafka-scripts", "kafka-create-topics.sh"))
                .contains("create \"${" + variable + "}\" \"${" + partitionsVariable + "}\"");
    }

    /** The ingestor waits for each topic (its init container) and publishes to it, named by the contract's variable. */
    @ParameterizedTest(name = "k8s {0} gives the ingestor {4}={2}")
    @MethodSource("directoriesAndTopics")
    void ingestorIsGivenTheTopic(String dir, Topic topic, String name, int partitions, String variable) {
        Rendered r = Rendered.of(dir);
        Workload ingestor = r.workload(INGESTOR);
        assertThat(r.env(ingestor.container(INGESTOR))).containsEntry(variable, name);
        assertThat(r.env(ingestor.container("await-topics"))).containsEntry(variable, name);
        assertThat(r.configValue("kafka-scripts", "kafka-await-topics.sh")).contains("\"${" + variable + "}\"");
    }

    /** The driver reads each topic the job touches under the contract's name (its option, or the option's default). */
    @ParameterizedTest(name = "k8s {0} runs the job on topic {2}")
    @MethodSource("directoriesAndTopics")
    void driverIsGivenTheTopic(String dir, Topic topic, String name, int partitions, String variable) {
        Rendered r = Rendered.of(dir);
        List<String> jobArgs =
                SparkSubmitLine.jobArguments(r, r.workload(DRIVER).container(DRIVER));
        SparkJob.topicOption(topic)
                .ifPresent(option -> assertThat(
                                Rendered.option(jobArgs, "--" + option.name()).orElse(option.defaultValue()))
                        .isEqualTo(name));
    }
}
