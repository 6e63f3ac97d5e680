package io.streamingpipeline.ingestor.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenRedactingFilterTest {

    private static final String TOKEN = "c0ffee+t0ken/42";
    private final TokenRedactingFilter filter = new TokenRedactingFilter();

    @BeforeAll
    static void register() {
        SecretRedaction.register(TOKEN);
    }

    @Test
    void rewritesFormattedMessagesAndParameters() {
        ExtLogRecord record =
                new ExtLogRecord(Level.WARNING, "connecting to %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"wss://ws.finnhub.io/?token=" + TOKEN});
        assertThat(filter.isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage())
                .isEqualTo("connecting to wss://ws.finnhub.io/?token=" + SecretRedaction.MASK);
    }

    @Test
    void catchesTheUrlEncodedForm() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "GET /?token=c0ffee%2Bt0ken%2F42 failed", "test");
        filter.isLoggable(record);
        assertThat(record.getFormattedMessage()).doesNotContain("c0ffee").contains(SecretRedaction.MASK);
    }

    @Test
    void replacesExceptionsWhoseMessagesHoldTheSecretAtAnyDepth() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "boom", "test");
        record.setThrown(new IllegalStateException("outer", new RuntimeException("inner ws://x/?token=" + TOKEN)));
        filter.isLoggable(record);
        StringWriter out = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(out));
        assertThat(out.toString())
                .doesNotContain(TOKEN)
                .contains("IllegalStateException: outer")
                .contains(SecretRedaction.MASK);
    }

    @Test
    void leavesOtherRecordsAlone() {
        IllegalStateException e = new IllegalStateException("nothing secret");
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "hello %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"world"});
        record.setThrown(e);
        filter.isLoggable(record);
        assertThat(record.getFormattedMessage()).isEqualTo("hello world");
        assertThat(record.getThrown()).isSameAs(e);
    }

    @Test
    void describeRedactsMessagesAndCauses() {
        String d = SecretRedaction.describe(new RuntimeException("a " + TOKEN, new IllegalArgumentException(TOKEN)));
        assertThat(d)
                .doesNotContain(TOKEN)
                .startsWith("RuntimeException: a <redacted>")
                .contains("IllegalArgumentException");
    }
}
