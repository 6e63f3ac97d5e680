package io.streamingpipeline.bench;

import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.localstack.ingestor.IngestorProcess;
import io.streamingpipeline.localstack.ingestor.PrometheusText;
import io.streamingpipeline.simulator.FeedSimulator;

/**
 * The pipeline's counters at one moment: trades the simulators delivered, the ingestor published, the job wrote (or
 * the floor query read), and records in Kafka.
 */
record PhaseCounters(double delivered, double published, double stored, long kafkaRecords) {

    static PhaseCounters read(
            PipelineUnderTest stack, IngestorProcess ingestor, FeedSimulator load, FeedSimulator probe) {
        // the simulators first: their counts belong to the window's boundary, the HTTP scrapes below take a while
        long probeDelivered = probe.groundTruth().totalTrades();
        long loadDelivered = load.groundTruth().totalTrades();
        PrometheusText job = stack.metrics();
        return new PhaseCounters(
                loadDelivered + probeDelivered,
                ingestorMetrics(ingestor).value("ingestor_trades_published_total"),
                stack.rowsWritten(job),
                stack.kafka().endOffsets(TradeContract.TRADES_TOPIC).values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
    }

    /** Records in Kafka not yet written (or read) by the job. */
    long backlog() {
        return (long) Math.max(0, kafkaRecords - stored);
    }

    /** The ingestor's metrics; a scrape that times out (a very busy machine) is tried again, up to 3 times. */
    static PrometheusText ingestorMetrics(IngestorProcess ingestor) {
        for (int attempt = 1; ; attempt++) {
            try {
                return ingestor.metrics();
            } catch (java.io.UncheckedIOException e) {
                if (attempt >= 3 || !ingestor.isAlive()) {
                    throw e;
                }
            }
        }
    }
}
