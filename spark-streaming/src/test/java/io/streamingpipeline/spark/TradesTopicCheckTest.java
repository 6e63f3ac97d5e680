package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.spark.candles.SourceTopic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradesTopicCheckTest {

    private static final SourceTopic TRADES = new SourceTopic("crypto_trades", "Lx8pWn2sQyCkz3r0Hq5BvA");

    @TempDir
    Path checkpoints;

    private final Configuration hadoop = new Configuration();

    @Test
    void aNewCheckpointIsMarkedWithItsTopicAndReadsItAgain() throws Exception {
        String checkpoint = checkpoints.resolve("trades").toString();
        TradesTopicCheck.checkpointReads(TRADES, checkpoint, hadoop);

        assertThat(Files.readString(checkpoints.resolve("trades").resolve(TradesTopicCheck.MARKER)))
                .isEqualTo("topic=crypto_trades\ntopic-id=Lx8pWn2sQyCkz3r0Hq5BvA\n");
        TradesTopicCheck.checkpointReads(TRADES, checkpoint, hadoop); // a restart
        try (Stream<Path> files = Files.list(checkpoints.resolve("trades"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.contains(".tmp"));
        }
    }

    @Test
    void aTopicCreatedAgainUnderTheSameNameIsRefusedWithWhatToDo() throws Exception {
        String checkpoint = checkpoints.resolve("trades").toString();
        TradesTopicCheck.checkpointReads(TRADES, checkpoint, hadoop);

        assertThatThrownBy(() -> TradesTopicCheck.checkpointReads(
                        new SourceTopic("crypto_trades", "9aTkPq1eR0mWc4dZyU7hJg"), checkpoint, hadoop))
                .isInstanceOf(StartRefusedException.class)
                .hasMessageContaining("The topic 'crypto_trades' was deleted and created again")
                .hasMessageContaining("Kafka's id of it is 9aTkPq1eR0mWc4dZyU7hJg")
                .hasMessageContaining("had Lx8pWn2sQyCkz3r0Hq5BvA")
                .hasMessageContaining("Start with a new --checkpoint-location and --starting-offsets earliest");
    }

    @Test
    void anotherTopicIsRefusedWithWhatToDo() throws Exception {
        String checkpoint = checkpoints.resolve("trades").toString();
        TradesTopicCheck.checkpointReads(TRADES, checkpoint, hadoop);

        assertThatThrownBy(() -> TradesTopicCheck.checkpointReads(
                        new SourceTopic("crypto_trades_v2", TRADES.id()), checkpoint, hadoop))
                .isInstanceOf(StartRefusedException.class)
                .hasMessageContaining("holds offsets of the topic 'crypto_trades', and the job now reads"
                        + " 'crypto_trades_v2' (--topic)")
                .hasMessageContaining("--checkpoint-location");
    }

    @Test
    void aCheckpointOfAnEarlierVersionGetsTheTopicItReadsNow() throws Exception {
        Path checkpoint = Files.createDirectories(checkpoints.resolve("trades"));
        Files.writeString(checkpoint.resolve("metadata"), "{\"id\":\"5d2c1f9e-0000-4000-8000-000000000001\"}\n");

        TradesTopicCheck.checkpointReads(TRADES, checkpoint.toString(), hadoop);

        assertThat(checkpoint.resolve(TradesTopicCheck.MARKER)).content().contains("topic-id=Lx8pWn2sQyCkz3r0Hq5BvA");
        assertThat(checkpoint.resolve("metadata")).content().contains("5d2c1f9e");
    }
}
