package io.streamingpipeline.localstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.Topic;
import io.streamingpipeline.contract.TradeContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SharedKafkaIT {

    @Test
    void oneBrokerPerJvmWithTopicHelpers() throws Exception {
        KafkaBroker broker = SharedKafka.get();
        assertThat(SharedKafka.get()).isSameAs(broker);
        assertThat(SharedKafka.bootstrapServers())
                .isEqualTo(broker.bootstrapServers())
                .startsWith("127.0.0.1:");

        SharedKafka.createTopics(Topic.defaultPartitionsByName());
        SharedKafka.createTopic(TradeContract.TRADES_TOPIC, Topic.TRADES.partitions());
        TestRecords.produce(SharedKafka.bootstrapServers(), TradeContract.TRADES_TOPIC, "sh", 0, 30);

        assertThat(SharedKafka.endOffsets(TradeContract.TRADES_TOPIC)).containsOnlyKeys(0, 1, 2);
        assertThat(SharedKafka.recordCount(TradeContract.TRADES_TOPIC)).isEqualTo(30);
        assertThat(SharedKafka.recordCount(TradeContract.DEAD_LETTER_TOPIC)).isZero();
        assertThat(SharedKafka.readAtLeast(TradeContract.TRADES_TOPIC, 30, Duration.ofSeconds(30)))
                .hasSize(30);
        assertThat(SharedKafka.readAll(TradeContract.TRADES_TOPIC, Duration.ofSeconds(30)))
                .allSatisfy(r -> assertThat(r.value()).startsWith("sh-value-"));
    }
}
