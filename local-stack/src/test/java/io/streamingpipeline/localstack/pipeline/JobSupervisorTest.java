package io.streamingpipeline.localstack.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobSupervisorTest {

    @Test
    void theBackOffDoublesFromFiveSecondsUpToAMinute() {
        assertThat(JobSupervisor.backOff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(JobSupervisor.backOff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(JobSupervisor.backOff(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(JobSupervisor.backOff(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(JobSupervisor.backOff(5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(JobSupervisor.backOff(500)).isEqualTo(JobSupervisor.MAX_BACKOFF);
    }

    @Test
    void aRefusalIsTheJobsLastRefusedLineAmongSparksShutdownLines() {
        String log = String.join(
                "\n",
                TradesJobLaunch.REFUSED + "an earlier driver's refusal",
                "26/12/05 15:21:41.963 INFO TradesToCassandraJob: Starting with JobSettings{...}",
                TradesJobLaunch.REFUSED + "The checkpoint /c/trades wrote its trades and candles to the keyspace 'a'",
                "26/12/05 15:21:43.998 INFO ShutdownHookManager: Shutdown hook called",
                "26/12/05 15:21:43.999 INFO ShutdownHookManager: Deleting directory /tmp/spark-3fd2");

        assertThat(JobSupervisor.reason(TradesJobLaunch.EXIT_REFUSED, log))
                .isEqualTo(TradesJobLaunch.REFUSED
                        + "The checkpoint /c/trades wrote its trades and candles to the keyspace 'a'");
    }

    @Test
    void wrongOptionsAreTheLinesAfterSparksLastLogLine() {
        String log = String.join(
                "\n",
                "26/12/05 15:21:33.804 INFO ShutdownHookManager: Deleting directory /tmp/spark-9c6e",
                "Exception in thread \"main\" java.lang.IllegalStateException: an earlier driver's failure",
                "\tat io.streamingpipeline.spark.TradesToCassandraJob.main(TradesToCassandraJob.java:67)",
                "Cannot start: fix these settings (pass them as --option value, ...):",
                "  - --trigger-interval must be a duration, was 'soon'",
                "Run with --help for the list of options.",
                "");

        assertThat(JobSupervisor.reason(TradesJobLaunch.EXIT_INVALID_SETTINGS, log))
                .isEqualTo(String.join(
                        System.lineSeparator(),
                        "Cannot start: fix these settings (pass them as --option value, ...):",
                        "  - --trigger-interval must be a duration, was 'soon'",
                        "Run with --help for the list of options."));
    }
}
