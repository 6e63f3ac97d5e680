package io.streamingpipeline.spark;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up check of the dead-letter topic, where it needs no broker; the broker cases run in HostileRecordsIT. */
class DeadLetterTopicCheckTest {

    private static JobSettings settings(String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "--bootstrap-servers";
        args[2] = "--checkpoint-location";
        args[3] = "/tmp/cp";
        System.arraycopy(extra, 0, args, 4, extra.length);
        try (ServerSocket free = new ServerSocket(0)) {
            args[1] = "127.0.0.1:" + free.getLocalPort(); // closed again: nothing listens there
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return JobSettings.parse(args, Map.of());
    }

    @Test
    void aProducerRequestSizeBelowTheLargestDeadLetterFailsNamingTheOption() {
        assertThatThrownBy(() -> DeadLetterTopicCheck.verify(
                        settings("--kafka-option", "max.request.size=100000"), Duration.ofSeconds(1)))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("--kafka-option max.request.size=100000")
                .hasMessageContaining("set at least " + DeadLetterTopicCheck.REQUIRED_BYTES);
    }

    @Test
    void anUnreachableBrokerFailsNamingTheBootstrapServersOption() {
        assertThatThrownBy(() -> DeadLetterTopicCheck.verify(settings(), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot reach Kafka at 127.0.0.1:")
                .hasMessageContaining("crypto_trades_dlq")
                .hasMessageContaining("--bootstrap-servers");
    }
}
