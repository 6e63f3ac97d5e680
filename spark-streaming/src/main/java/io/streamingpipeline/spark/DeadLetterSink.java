package io.streamingpipeline.spark;

import io.streamingpipeline.spark.health.PipelineMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters ({@link DeadLetters#records}) to the dead-letter topic with a Kafka producer per task, so that
 * one record that Kafka refuses for good (too large for the topic, not authorised, invalid) does not fail the batch
 * and, replayed, every batch after it: it is counted ({@link PipelineMetrics#deadLettersUnwritten}, with the
 * accumulator that the tasks fill) and logged without its key or value, and the other dead letters are written.
 * A retriable failure that outlasts the producer's {@code delivery.timeout.ms} (Kafka unreachable), or a topic whose
 * metadata does not come within {@code max.block.ms} (the topic deleted), still fails the task, so that Spark retries
 * it and, failing that, the batch is replayed: an outage is not a poison record.
 */
final class DeadLetterSink implements BatchSink {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

    private final Map<String, String> producerConfig;
    private final String topic;
    private final PipelineMetrics metrics; // on the driver only: write() runs there

    /**
     * @param kafkaClientOptions {@code kafka.}-prefixed client options, as {@link JobSettings#kafkaClientOptions()}
     */
    DeadLetterSink(Map<String, String> kafkaClientOptions, String topic, PipelineMetrics metrics) {
        this.producerConfig = producerConfig(kafkaClientOptions);
        this.topic = topic;
        this.metrics = metrics;
    }

    /** The client options without their {@code kafka.} prefix, as a Kafka client takes them. */
    static Map<String, String> clientConfig(Map<String, String> kafkaClientOptions) {
        Map<String, String> config = new HashMap<>();
        kafkaClientOptions.forEach(
                (k, v) -> config.put(k.startsWith("kafka.") ? k.substring("kafka.".length()) : k, v));
        return config;
    }

    /** The producer's configuration: {@link #clientConfig}, byte-array serializers, {@code acks=all} unless given. */
    static Map<String, String> producerConfig(Map<String, String> kafkaClientOptions) {
        Map<String, String> config = clientConfig(kafkaClientOptions);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        return Map.copyOf(config);
    }

    @Override
    public void write(Dataset<Row> deadLetters) {
        LongAccumulator unwritten = deadLetters.sparkSession().sparkContext().longAccumulator("dead letters unwritten");
        deadLetters.foreachPartition(new Writer(producerConfig, topic, unwritten));
        if (unwritten.value() > 0) {
            metrics.deadLettersUnwritten(unwritten.value());
            LOG.error(
                    "{} dead letter(s) could not be written to {} and were skipped: Kafka refused them for good "
                            + "(the executors' logs say why)",
                    unwritten.value(),
                    topic);
        }
    }

    record Writer(Map<String, String> producerConfig, String topic, LongAccumulator unwritten)
            implements ForeachPartitionFunction<Row> {

        private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

        @Override
        public void call(Iterator<Row> rows) throws Exception {
            if (!rows.hasNext()) {
                return;
            }
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(new HashMap<String, Object>(producerConfig));
            try {
                send(producer, rows);
            } finally {
                producer.close(CLOSE_TIMEOUT);
            }
        }

        /**
         * Sends every row, then waits for Kafka's answers: a record's own problem (too large, ...) is counted and
         * skipped; a retriable failure (Kafka unreachable, the topic gone) fails the task. A send that has failed
         * already when it returns, on a retriable error, fails the task at once: the producer waited
         * {@code max.block.ms} for the topic's metadata, and every record after it would wait as long.
         */
        void send(Producer<byte[], byte[]> producer, Iterator<Row> rows) throws Exception {
            List<Sent> sent = new ArrayList<>();
            while (rows.hasNext()) {
                Row row = rows.next();
                // by position (DeadLetters.SCHEMA): a row of foreachPartition has no schema to look names up in
                byte[] key = (byte[]) row.get(0);
                byte[] value = (byte[]) row.get(1);
                // anything thrown here fails the task
                Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, key, value));
                if (ack.isDone()) {
                    refusedForGood(ack); // counted below, with the others
                }
                sent.add(new Sent(ack, key == null ? 0 : key.length, value.length));
            }
            producer.flush();
            for (Sent s : sent) {
                Throwable refused = refusedForGood(s.ack());
                if (refused != null) {
                    unwritten(refused, s.keyBytes(), s.valueBytes());
                }
            }
        }

        /**
         * Waits for Kafka's answer: null if the record was written, the error if Kafka refused it for good; a
         * retriable error is thrown, and fails the task.
         */
        private static Throwable refusedForGood(Future<RecordMetadata> ack) throws InterruptedException {
            try {
                ack.get();
                return null;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RetriableException retriable) {
                    throw retriable;
                }
                return e.getCause();
            }
        }

        private void unwritten(Throwable error, int keyBytes, int valueBytes) {
            unwritten.add(1);
            // the error's class and message only: Kafka's messages name sizes and the topic, never the record
            LOG.error(
                    "A dead letter could not be written to {} and is skipped ({} key bytes, {} value bytes): {}: {}",
                    topic,
                    keyBytes,
                    valueBytes,
                    error.getClass().getName(),
                    error.getMessage());
        }
    }

    private record Sent(Future<RecordMetadata> ack, int keyBytes, int valueBytes) {}
}
