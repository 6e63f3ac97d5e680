package io.streamingpipeline.deploy.code;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.spark.JobOption;
import io.streamingpipeline.spark.JobSettings;
import io.streamingpipeline.spark.TradesToCassandraJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The Spark job as compiled: its main class, its options and their defaults, the option of each topic it reads. */
public final class SparkJob {

    public static final String MAIN_CLASS = TradesToCassandraJob.class.getName();

    private SparkJob() {}

    /** The job's options (name without {@code --}) and their defaults (null: none), as JobSettings declares them. */
    public static Map<String, String> options() {
        Map<String, String> options = new LinkedHashMap<>();
        JobSettings.OPTIONS.forEach(o -> options.put(o.name(), o.defaultValue()));
        return options;
    }

    /** Default value of a job option; fails when the job has no such option. */
    public static String optionDefault(String option) {
        Map<String, String> options = options();
        if (!options.containsKey(option)) {
            throw new AssertionError("the Spark job has no option --" + option);
        }
        return options.get(option);
    }

    /**
     * The option naming the topic in the job, empty for a topic the job does not touch. A new {@link Topic} does not
     * compile here until it is decided.
     */
    public static Optional<JobOption<String>> topicOption(Topic topic) {
        return switch (topic) {
            case TRADES -> Optional.of(JobSettings.TOPIC);
            case DEAD_LETTERS -> Optional.of(JobSettings.DEAD_LETTER_TOPIC);
        };
    }
}
