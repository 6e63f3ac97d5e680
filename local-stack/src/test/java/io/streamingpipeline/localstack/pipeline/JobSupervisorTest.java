package io.streamingpipeline.localstack.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingpipeline.localstack.spark.SparkDriver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSupervisorTest {

    @TempDir
    Path dir;

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
    void theReasonIsTheJobsTerminationMessage() throws Exception {
        Path message = Files.writeString(
                dir.resolve("spark-driver.termination"),
                TradesJobLaunch.REFUSED + "Cassandra has no table [crypto_trades]\n");
        JobSupervisor supervisor = supervisor(message, () -> {
            throw new AssertionError("not submitted");
        });

        assertThat(supervisor.readTerminationMessage())
                .hasValue(TradesJobLaunch.REFUSED + "Cassandra has no table [crypto_trades]");
    }

    @Test
    void anEmptyOrMissingMessageIsNoReason() throws Exception {
        Path message = dir.resolve("spark-driver.termination");
        JobSupervisor supervisor = supervisor(message, () -> {
            throw new AssertionError("not submitted");
        });

        assertThat(supervisor.readTerminationMessage()).isEmpty();
        Files.writeString(message, " \n");
        assertThat(supervisor.readTerminationMessage()).isEmpty();
    }

    @Test
    void anEarlierDriversMessageIsDeletedBeforeEachSubmission() throws Exception {
        Path message = Files.writeString(dir.resolve("spark-driver.termination"), "an earlier driver's refusal");
        List<Boolean> presentAtSubmission = new ArrayList<>();
        JobSupervisor supervisor = supervisor(message, () -> {
            presentAtSubmission.add(Files.exists(message));
            throw JobSupervisor.StartFailed.timedOut("the Spark job did not start within 3 minutes");
        });

        assertThatThrownBy(supervisor::start)
                .isInstanceOf(JobSupervisor.StartFailed.class)
                .hasMessage("the Spark job did not start within 3 minutes");
        assertThat(presentAtSubmission).containsExactly(false);
    }

    @Test
    void aDriverThatTimedOutIsSubmittedAgainAfterItsBackOff() {
        List<Integer> submissions = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        JobSupervisor supervisor = new JobSupervisor(
                new PrintStream(printed, true, StandardCharsets.UTF_8), dir.resolve("spark-driver.termination"), () -> {
                    submissions.add(submissions.size());
                    throw JobSupervisor.StartFailed.timedOut("not live in time");
                });

        supervisor.check(); // no driver yet: submitted at once
        supervisor.check(); // within the back-off: not submitted

        assertThat(submissions).hasSize(1);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("not live in time")
                .contains("the job is submitted again in 5 s");
        assertThat(supervisor.current()).isEmpty();
    }

    private static JobSupervisor supervisor(Path message, Supplier<SparkDriver> submit) {
        return new JobSupervisor(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), message, submit);
    }
}
