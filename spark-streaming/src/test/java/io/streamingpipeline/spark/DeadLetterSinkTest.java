package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

class DeadLetterSinkTest {

    private static final TimeoutException NO_METADATA =
            new TimeoutException("Topic crypto_trades_dlq not present in metadata after 60000 ms.");

    private final LongAccumulator unwritten = new LongAccumulator();
    private final DeadLetterSink.Writer writer = new DeadLetterSink.Writer(Map.of(), "crypto_trades_dlq", unwritten);

    @Test
    void aSendThatFailedAtOnceOnARetriableErrorFailsTheTaskWithoutWaitingForEachOtherRecord() {
        // the producer waited max.block.ms for the topic's metadata: each record after it would wait as long
        Answers producer = new Answers(n -> CompletableFuture.failedFuture(NO_METADATA));

        assertThatThrownBy(() -> writer.send(producer, letters(50).iterator())).isSameAs(NO_METADATA);
        assertThat(producer.records).hasSize(1);
        assertThat(unwritten.value()).isZero();
    }

    @Test
    void aRecordKafkaRefusesForGoodIsCountedAndTheOthersAreWritten() throws Exception {
        Answers producer = new Answers(n -> n == 2
                ? CompletableFuture.failedFuture(new RecordTooLargeException("too large for the topic"))
                : CompletableFuture.completedFuture(metadata()));

        writer.send(producer, letters(5).iterator());

        assertThat(producer.records).hasSize(5);
        assertThat(unwritten.value()).isEqualTo(1);
    }

    @Test
    void aRetriableFailureAnsweredLaterFailsTheTaskOnceEveryRecordIsSent() {
        CompletableFuture<RecordMetadata> later = new CompletableFuture<>();
        Answers producer = new Answers(n -> n == 1 ? later : CompletableFuture.completedFuture(metadata()));
        producer.onFlush = () -> later.completeExceptionally(NO_METADATA);

        assertThatThrownBy(() -> writer.send(producer, letters(5).iterator())).isSameAs(NO_METADATA);
        assertThat(producer.records).hasSize(5);
    }

    private static List<Row> letters(int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(
                    ("key-" + i).getBytes(StandardCharsets.UTF_8),
                    ("{\"reason\":\"malformed_json\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        return rows;
    }

    private static RecordMetadata metadata() {
        return new RecordMetadata(new TopicPartition("crypto_trades_dlq", 0), 0, 0, 0, 0, 0);
    }

    /** A producer whose n-th send (from 1) answers with the given future. */
    private static final class Answers extends MockProducer<byte[], byte[]> {
        final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        private final IntFunction<Future<RecordMetadata>> answer;
        Runnable onFlush = () -> {};

        Answers(IntFunction<Future<RecordMetadata>> answer) {
            super(true, new ByteArraySerializer(), new ByteArraySerializer());
            this.answer = answer;
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            records.add(record);
            return answer.apply(records.size());
        }

        @Override
        public synchronized void flush() {
            onFlush.run();
        }
    }
}
