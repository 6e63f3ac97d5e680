package io.streamingpipeline.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.localstack.pipeline.TradesJobLaunch;
import io.streamingpipeline.localstack.process.FreePorts;
import io.streamingpipeline.localstack.process.JavaProcess;
import io.streamingpipeline.localstack.process.LogTail;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./pipeline run}, the README's command, as a user runs it: its own Kafka, Cassandra, Spark, job, simulator and
 * ingestor, in a child JVM on free ports. Trades reach Cassandra; a second {@code ./pipeline run --fresh} and a
 * {@code ./pipeline daily-close} on the same data dir (on other ports) are refused, naming the running one, and delete
 * nothing; a driver killed with SIGKILL is submitted again on its
 * checkpoint and the rows go on growing; and after the trades table is dropped, the driver that fails on it is
 * submitted again, refuses to start (exit code 3), and the pipeline stops with the job's reason instead of submitting
 * it again, leaving no process behind.
 */
class PipelineCommandIT {

    private static final String PIPELINE_MAIN = "io.streamingpipeline.localstack.pipeline.PipelineMain";
    private static final Pattern ROWS = Pattern.compile("Cassandra rows ([\\d,]+)");
    private static final Pattern DRIVER_PID = Pattern.compile("job running \\(driver pid (\\d+)\\)");

    @TempDir
    Path workDir;

    @Test
    void refusesASecondCommandResubmitsAKilledDriverAndStopsOnARefusal() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        Path data = workDir.resolve("data");
        Path log = workDir.resolve("pipeline.log");
        List<String> args = new ArrayList<>(List.of(
                "run", "--data-dir", data.toString(), "--rate", "200", "--duration", "15m", "--progress-every", "2s"));
        List<String> portOptions = List.of(
                "--kafka-port",
                "--cassandra-port",
                "--spark-port",
                "--job-health-port",
                "--ingestor-port",
                "--simulator-port",
                "--query-port");
        int[] ports = FreePorts.pick(portOptions.size());
        for (int i = 0; i < ports.length; i++) {
            args.add(portOptions.get(i));
            args.add(Integer.toString(ports[i]));
        }
        JavaProcess.Builder builder = JavaProcess.builder(PIPELINE_MAIN)
                .name("pipeline")
                .systemProperty("pipeline.root", root.toString())
                .jvmOptions("-Xmx256m")
                .workingDirectory(workDir)
                .output(log)
                .args(args.toArray(String[]::new));
        JavaProcess pipeline = withTestClasspath(builder).start();
        List<Long> drivers = new ArrayList<>();
        try {
            PipelineLog out = new PipelineLog(log);
            out.await("PIPELINE RUNNING", Duration.ofMinutes(6), pipeline);
            drivers.add(out.lastDriverPid());
            long before = out.awaitRowsAbove(0, Duration.ofMinutes(2), pipeline);

            // an operator's second command on the same data dir, on other ports: refused, the data left alone
            String inUse = "The data dir " + data + " is in use by ./pipeline run (pid " + pipeline.pid() + ")";
            int[] other = FreePorts.pick(3);
            List<String> sameDataOtherPorts = List.of(
                    "--data-dir",
                    data.toString(),
                    "--kafka-port",
                    Integer.toString(other[0]),
                    "--cassandra-port",
                    Integer.toString(other[1]),
                    "--spark-port",
                    Integer.toString(other[2]));
            Finished second = command(root, "second-run", with(sameDataOtherPorts, "run", "--fresh"));
            assertThat(second.exitCode()).as(second.output()).isEqualTo(1);
            assertThat(second.output()).contains("PIPELINE FAILED " + inUse);
            Finished close = command(
                    root,
                    "daily-close",
                    with(
                            sameDataOtherPorts,
                            "daily-close",
                            "--day",
                            LocalDate.now(ZoneOffset.UTC).toString()));
            assertThat(close.exitCode()).as(close.output()).isEqualTo(3);
            assertThat(close.output()).contains(inUse);
            assertThat(data.resolve("kafka")).isDirectory();
            assertThat(data.resolve("cassandra")).isDirectory();

            ProcessHandle.of(drivers.get(0)).orElseThrow().destroyForcibly(); // kill -9 <driver pid>
            out.await("the Spark job exited (code 137)", Duration.ofSeconds(60), pipeline);
            out.await("resubmitting the job from its checkpoint (attempt 1)", Duration.ofSeconds(60), pipeline);
            out.awaitCount(DRIVER_PID, 2, Duration.ofMinutes(3), pipeline);
            drivers.add(out.lastDriverPid());
            assertThat(drivers.get(1)).isNotEqualTo(drivers.get(0));
            long after = out.awaitRowsAbove(out.lastRows() + 200, Duration.ofMinutes(2), pipeline);
            assertThat(after).isGreaterThan(before);

            Finished drop = command(
                    root,
                    "cql",
                    "cql",
                    "DROP TABLE " + CassandraSchema.DEFAULT_KEYSPACE + "." + CassandraSchema.TRADES_TABLE,
                    "--data-dir",
                    data.toString());
            assertThat(drop.exitCode()).as(drop.output()).isZero();

            assertThat(pipeline.waitFor(Duration.ofMinutes(4)))
                    .as("the pipeline stopped by itself" + LogTail.section(log, 60))
                    .isTrue();
            String text = Files.readString(log);
            assertThat(pipeline.exitCode()).contains(1);
            String refusal = TradesJobLaunch.REFUSED + "Cassandra has no table [" + CassandraSchema.TRADES_TABLE
                    + "] in keyspace " + CassandraSchema.DEFAULT_KEYSPACE + ": create the schema first";
            // the reason is the driver's termination message, not a tail of its log
            assertThat(text)
                    .contains("PIPELINE FAILED the Spark job refused to start (exit code 3), so it is not submitted"
                            + " again:" + System.lineSeparator() + refusal)
                    .contains("stopping Kafka");
            assertThat(data.resolve("logs/spark-driver.termination")).content().startsWith(refusal);
            System.out.printf(
                    "./pipeline run: %d rows before the driver's kill, %d after its resubmission; drivers %s; exit %d;"
                            + " %s%n",
                    before,
                    after,
                    out.allDriverPids(),
                    pipeline.exitCode().orElse(-1),
                    text.lines()
                            .filter(l -> l.startsWith(TradesJobLaunch.REFUSED))
                            .findFirst()
                            .orElse(""));
            out.allDriverPids().forEach(drivers::add);
            assertThat(drivers)
                    .as("drivers still running")
                    .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                            .isEmpty());
        } finally {
            pipeline.stop(Duration.ofMinutes(3));
            for (long pid : drivers) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** The pipeline's stdout, read again at each poll. */
    private record PipelineLog(Path file) {

        String text() throws IOException {
            return Files.exists(file) ? Files.readString(file) : "";
        }

        void await(String line, Duration timeout, JavaProcess pipeline) throws Exception {
            poll(timeout, pipeline, "\"" + line + "\"", () -> text().contains(line));
        }

        void awaitCount(Pattern pattern, int count, Duration timeout, JavaProcess pipeline) throws Exception {
            poll(
                    timeout,
                    pipeline,
                    count + " lines of " + pattern,
                    () -> matches(pattern).size() >= count);
        }

        long awaitRowsAbove(long rows, Duration timeout, JavaProcess pipeline) throws Exception {
            poll(timeout, pipeline, "more than " + rows + " rows in Cassandra", () -> lastRows() > rows);
            return lastRows();
        }

        long lastRows() throws IOException {
            List<String> all = matches(ROWS);
            return all.isEmpty() ? 0 : Long.parseLong(all.get(all.size() - 1).replace(",", ""));
        }

        long lastDriverPid() throws IOException {
            List<String> all = matches(DRIVER_PID);
            return Long.parseLong(all.get(all.size() - 1));
        }

        List<Long> allDriverPids() throws IOException {
            return matches(DRIVER_PID).stream().map(Long::parseLong).toList();
        }

        private List<String> matches(Pattern pattern) throws IOException {
            Matcher m = pattern.matcher(text());
            List<String> found = new ArrayList<>();
            while (m.find()) {
                found.add(m.group(1));
            }
            return found;
        }

        private void poll(Duration timeout, JavaProcess pipeline, String what, Check check) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!check.ok()) {
                if (!pipeline.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; the pipeline "
                            + (pipeline.isAlive()
                                    ? "is running"
                                    : "exited " + pipeline.exitCode().orElse(-1))
                            + LogTail.section(file, 60));
                }
                Thread.sleep(500);
            }
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws IOException;
    }

    private record Finished(int exitCode, String output) {}

    private static String[] with(List<String> options, String... first) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(options);
        return all.toArray(String[]::new);
    }

    /** {@code ./pipeline <args>} to its end (at most 3 minutes), in a child JVM. */
    private Finished command(Path root, String name, String... args) throws IOException {
        Path output = workDir.resolve(name + ".log");
        JavaProcess process = withTestClasspath(JavaProcess.builder(PIPELINE_MAIN))
                .name("pipeline-" + name)
                .systemProperty("pipeline.root", root.toString())
                .workingDirectory(workDir)
                .output(output)
                .args(args)
                .start();
        try {
            assertThat(process.waitFor(Duration.ofMinutes(3)))
                    .as("./pipeline " + args[0] + " ended" + LogTail.section(output, 30))
                    .isTrue();
            return new Finished(process.exitCode().orElseThrow(), Files.readString(output));
        } finally {
            process.stop(Duration.ofSeconds(30));
        }
    }

    /** This JVM's classpath: local-stack's classes and their dependencies. */
    private static JavaProcess.Builder withTestClasspath(JavaProcess.Builder builder) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            builder.classpathEntry(Path.of(entry));
        }
        return builder;
    }
}
