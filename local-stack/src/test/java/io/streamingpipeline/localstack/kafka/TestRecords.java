package io.streamingpipeline.localstack.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces numbered records (key {@code <prefix>-key-<i % 17>}, value {@code <prefix>-value-<i>}) for the tests. */
final class TestRecords {

    private TestRecords() {}

    static String key(String prefix, int i) {
        return prefix + "-key-" + (i % 17);
    }

    static String value(String prefix, int i) {
        return prefix + "-value-" + i;
    }

    /** Sends records {@code from} (inclusive) to {@code to} (exclusive) with acks=all and waits for every ack. */
    static void produce(String bootstrapServers, String topic, String prefix, int from, int to) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = from; i < to; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, key(prefix, i), value(prefix, i))));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
    }
}
