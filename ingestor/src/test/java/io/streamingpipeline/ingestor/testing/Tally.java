package io.streamingpipeline.ingestor.testing;

import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ingestor's accounting of trades: from {@code /q/metrics} while it runs, or from the "Tally:" line it logs when
 * it stops. Every trade it received is published, rejected or lost.
 */
public record Tally(long received, long published, long rejected, long lost) {

    private static final Pattern LINE = Pattern.compile(
            "Tally: trades_received=(\\d+) trades_published=(\\d+) trades_rejected=(\\d+) trades_lost=(\\d+)");

    public static Tally of(IngestorProcess ingestor) {
        PrometheusText m = ingestor.metrics();
        return new Tally(
                (long) m.value("ingestor_trades_received_total"),
                (long) m.value("ingestor_trades_published_total"),
                (long) m.value("ingestor_trades_rejected_total"),
                (long) m.value("ingestor_trades_lost_total"));
    }

    /** The last line logged at shutdown (a log file may hold earlier runs); fails when there is none. */
    public static Tally fromLog(String log) {
        Matcher m = LINE.matcher(log);
        Tally last = null;
        while (m.find()) {
            last = new Tally(
                    Long.parseLong(m.group(1)),
                    Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)));
        }
        if (last == null) {
            throw new AssertionError("no \"Tally:\" line in the ingestor's log");
        }
        return last;
    }

    public long accounted() {
        return published + rejected + lost;
    }
}
