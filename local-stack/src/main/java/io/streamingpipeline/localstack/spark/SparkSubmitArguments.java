package io.streamingpipeline.localstack.spark;

import io.streamingpipeline.localstack.process.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code spark-submit} arguments of a submission to a local standalone cluster, client mode: the driver on
 * 127.0.0.1, the JDK 17 options in {@code spark.driver.extraJavaOptions} and {@code spark.executor.extraJavaOptions}
 * (before any given ones), a free {@code spark.ui.port} and the cluster's {@code spark.local.dir}, unless the
 * submission sets them; then the jar and the application's arguments.
 */
final class SparkSubmitArguments {

    private static final String HOST = FreePorts.HOST;

    private SparkSubmitArguments() {}

    static List<String> of(SparkSubmission submission, String masterUrl, Path localDir) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.driver.host", HOST);
        conf.put("spark.driver.bindAddress", HOST);
        conf.put("spark.ui.port", Integer.toString(FreePorts.pick()));
        conf.put("spark.local.dir", localDir.toString());
        conf.putAll(submission.conf());
        String jdkOptions = String.join(" ", SparkCluster.JDK17_OPTIONS);
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")) {
            String given = submission.conf().get(key);
            conf.put(key, given == null ? jdkOptions : jdkOptions + " " + given);
        }

        List<String> args = new ArrayList<>(List.of(
                "--master",
                masterUrl,
                "--deploy-mode",
                "client",
                "--class",
                submission.mainClass(),
                "--name",
                submission.name()));
        conf.forEach((k, v) -> {
            args.add("--conf");
            args.add(k + "=" + v);
        });
        args.add(submission.jar().toString());
        args.addAll(submission.args());
        return args;
    }
}
