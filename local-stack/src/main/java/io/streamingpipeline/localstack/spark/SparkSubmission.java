package io.streamingpipeline.localstack.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link SparkCluster#submit} runs: {@code spark-submit --deploy-mode client --class <mainClass> [--conf k=v ...]
 * <jar> [args...]}, as a child JVM that is the application's driver.
 *
 * <pre>{@code
 * SparkDriver driver = cluster.submit(SparkSubmission.builder("io.example.Job", jobJar)
 *         .name("trades-it")
 *         .conf("spark.sql.shuffle.partitions", "2")
 *         .args("--bootstrap-servers", kafka.bootstrapServers())
 *         .build());
 * }</pre>
 */
public final class SparkSubmission {

    private final String mainClass;
    private final Path jar;
    private final String name;
    private final List<String> args;
    private final Map<String, String> conf;
    private final String driverHeap;
    private final List<String> driverJvmOptions;
    private final Map<String, String> environment;
    private final Path logFile;

    private SparkSubmission(Builder b) {
        this.mainClass = b.mainClass;
        this.jar = b.jar.toAbsolutePath().normalize();
        this.name = b.name;
        this.args = List.copyOf(b.args);
        this.conf = Map.copyOf(b.conf);
        this.driverHeap = b.driverHeap;
        this.driverJvmOptions = List.copyOf(b.driverJvmOptions);
        this.environment = Map.copyOf(b.environment);
        this.logFile = b.logFile;
    }

    /** A submission of {@code jar} (a local file) that runs {@code mainClass}. */
    public static Builder builder(String mainClass, Path jar) {
        return new Builder(mainClass, jar);
    }

    public String mainClass() {
        return mainClass;
    }

    public Path jar() {
        return jar;
    }

    /** {@code spark.app.name}; also names the driver's log file. */
    public String name() {
        return name;
    }

    public List<String> args() {
        return args;
    }

    /** The {@code --conf} settings given (the cluster adds its own, see {@link SparkCluster#submit}). */
    public Map<String, String> conf() {
        return conf;
    }

    /** {@code -Xmx} of the driver JVM (client mode: {@code spark.driver.memory} cannot apply to a running JVM). */
    public String driverHeap() {
        return driverHeap;
    }

    public List<String> driverJvmOptions() {
        return driverJvmOptions;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** The driver's stdout/stderr file, or null for {@code <cluster data dir>/drivers/<name>-<n>.log}. */
    public Path logFile() {
        return logFile;
    }

    @Override
    public String toString() {
        return "SparkSubmission[" + name + ": " + mainClass + " in " + jar + "]";
    }

    /** How to build a {@link SparkSubmission}. */
    public static final class Builder {
        private final String mainClass;
        private final Path jar;
        private String name;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> conf = new LinkedHashMap<>();
        private String driverHeap = "768m";
        private final List<String> driverJvmOptions = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path logFile;

        private Builder(String mainClass, Path jar) {
            this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
            this.jar = Objects.requireNonNull(jar, "jar");
            this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
        }

        /** {@code spark.app.name} (default: the main class's simple name). */
        public Builder name(String appName) {
            if (appName == null || !appName.matches("[A-Za-z0-9._\\-]+")) {
                throw new IllegalArgumentException(
                        "app name must be letters, digits, '.', '_' or '-', was '" + appName + "'");
            }
            this.name = appName;
            return this;
        }

        /** Arguments of the application's main method, after the jar. */
        public Builder args(String... arguments) {
            args.addAll(List.of(arguments));
            return this;
        }

        public Builder args(List<String> arguments) {
            args.addAll(arguments);
            return this;
        }

        /** A {@code --conf key=value}; over the cluster's defaults. */
        public Builder conf(String key, String value) {
            conf.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Several {@code --conf key=value}, in their order; over the cluster's defaults. */
        public Builder conf(Map<String, String> settings) {
            settings.forEach(this::conf);
            return this;
        }

        /** {@code spark.sql.shuffle.partitions} (Spark's default: 200). */
        public Builder shufflePartitions(int partitions) {
            return conf("spark.sql.shuffle.partitions", Integer.toString(partitions));
        }

        /**
         * Options of the driver's JVM and, in {@code spark.executor.extraJavaOptions}, of the executors' (blank: none),
         * separated by white space.
         */
        public Builder jvmOptions(String options) {
            if (options.isBlank()) {
                return this;
            }
            driverJvmOptions(options.trim().split("\\s+"));
            return conf("spark.executor.extraJavaOptions", options.trim());
        }

        /** {@code spark.executor.memory} (Spark's default: 1g; the worker offers 2g in all). */
        public Builder executorMemory(String size) {
            return conf("spark.executor.memory", size);
        }

        /** {@code spark.cores.max}: how many of the worker's cores this application takes (default: all). */
        public Builder maxCores(int cores) {
            return conf("spark.cores.max", Integer.toString(cores));
        }

        /** {@code -Xmx} of the driver's JVM (default {@code 768m}). */
        public Builder driverHeap(String size) {
            if (size == null || !size.matches("\\d+[kKmMgG]?")) {
                throw new IllegalArgumentException("heap must look like 512m or 1g, was '" + size + "'");
            }
            this.driverHeap = size;
            return this;
        }

        /** Extra options of the driver's JVM (system properties of the job, debugging...). */
        public Builder driverJvmOptions(String... options) {
            driverJvmOptions.addAll(List.of(options));
            return this;
        }

        /** An environment variable of the driver's process. */
        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** Where the driver's stdout/stderr go (appended). */
        public Builder logFile(Path file) {
            this.logFile = file;
            return this;
        }

        public SparkSubmission build() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("Job jar not found: " + jar.toAbsolutePath());
            }
            return new SparkSubmission(this);
        }
    }
}
