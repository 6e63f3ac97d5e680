package io.streamingpipeline.spark;

import io.streamingpipeline.spark.candles.SourceTopic;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * At start: the trades topic exists, and it is the topic whose offsets the query's checkpoint holds. A checkpoint's
 * offsets are positions in one topic; Spark keeps only the topic's name with them. Read against a topic deleted and
 * created again under that name (offsets from 0 again), they would make Spark skip the new topic's records below them
 * without a word once the new topic has grown past them; read against another topic (a changed {@code --topic}), they
 * fail the first batch with Spark's "partitions are gone". The job writes the topic's name and Kafka's id of it
 * beside the checkpoint ({@value #MARKER}) and refuses a checkpoint of another topic, saying what to do.
 */
final class TradesTopicCheck {

    /** The file, in the query's checkpoint directory, that names the topic its offsets belong to. */
    static final String MARKER = "source-topic";

    private static final String NAME = "topic";
    private static final String ID = "topic-id";

    private TradesTopicCheck() {}

    /**
     * The trades topic, with Kafka's id of it; throws {@link StartRefusedException} when it does not exist, and
     * {@link IllegalStateException} when Kafka is out of reach, each with what to fix.
     */
    static SourceTopic describe(JobSettings settings, Duration timeout) {
        String topic = settings.topic();
        try (Admin admin = Admin.create(DeadLetterTopicCheck.adminConfig(settings, timeout))) {
            TopicDescription description = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            return new SourceTopic(topic, description.topicId().toString());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new StartRefusedException("The trades topic '" + topic + "' does not exist on Kafka at "
                        + settings.bootstrapServers() + ": create it (the local stack, Compose and Kubernetes create it"
                        + " at start), or name an existing topic with --" + JobSettings.TOPIC.name() + ".");
            }
            throw DeadLetterTopicCheck.unreachable(settings, topic, e.getCause());
        } catch (TimeoutException e) {
            throw DeadLetterTopicCheck.unreachable(settings, topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the trades topic", e);
        }
    }

    /**
     * Throws {@link StartRefusedException} when the checkpoint's offsets belong to another topic, or to an earlier
     * topic of the same name; names the topic in the checkpoint when it names none (new, or of an earlier version).
     */
    static void checkpointReads(SourceTopic topic, String queryCheckpoint, Configuration hadoop) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(NAME, topic.name());
        values.put(ID, topic.id());
        Properties recorded = CheckpointMarker.recordedOrNew(queryCheckpoint, MARKER, values, hadoop);
        String name = recorded.getProperty(NAME);
        String id = recorded.getProperty(ID);
        if (!topic.name().equals(name)) {
            throw new StartRefusedException("The checkpoint " + queryCheckpoint + " holds offsets of the topic '"
                    + name + "', and the job now reads '" + topic.name() + "' (--" + JobSettings.TOPIC.name()
                    + "): a checkpoint belongs to one topic. Give this topic a checkpoint of its own (--"
                    + JobSettings.CHECKPOINT_LOCATION.name() + "), or read '" + name + "' again.");
        }
        if (!topic.id().equals(id)) {
            throw new StartRefusedException("The topic '" + topic.name() + "' was deleted and created again since"
                    + " the checkpoint " + queryCheckpoint + " was written (Kafka's id of it is " + topic.id()
                    + ", the checkpoint's topic had " + id + "): the checkpoint's offsets belong to the old topic,"
                    + " and the new one's records below them would be skipped. Start with a new --"
                    + JobSettings.CHECKPOINT_LOCATION.name() + " and --" + JobSettings.STARTING_OFFSETS.name()
                    + " earliest to read the new topic whole; the candles count its trades as new ones.");
        }
    }
}
