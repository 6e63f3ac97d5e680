package io.streamingpipeline.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pipeline's Kafka topics: default name, the environment variable that overrides the name in every deployable,
 * and the partitions they are created with by the local stack, the benchmarks, the tests and Compose (the
 * Kubernetes prod overlay sizes its own, see {@code k8s/overlays/prod}).
 */
public enum Topic {
    /** Valid trades; one record per trade, key = symbol. */
    TRADES(TradeContract.TRADES_TOPIC, TradeContract.Env.TRADES_TOPIC, 3),
    /** Rejected frames and trades, see {@link DeadLetter}. */
    DEAD_LETTERS(TradeContract.DEAD_LETTER_TOPIC, TradeContract.Env.DEAD_LETTER_TOPIC, 1);

    private final String defaultName;
    private final String env;
    private final int partitions;

    Topic(String defaultName, String env, int partitions) {
        this.defaultName = defaultName;
        this.env = env;
        this.partitions = partitions;
    }

    public String defaultName() {
        return defaultName;
    }

    /** The environment variable that names the topic in the ingestor, the job's launchers, Compose and k8s. */
    public String env() {
        return env;
    }

    public int partitions() {
        return partitions;
    }

    /** Every topic's default name and partitions, in declaration order: what a fresh broker is created with. */
    public static Map<String, Integer> defaultPartitionsByName() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic topic : values()) {
            topics.put(topic.defaultName, topic.partitions);
        }
        return topics;
    }
}
