package io.streamingpipeline.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.streamingpipeline.deploy.code.SparkJob;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.util.List;
import java.util.Set;

/** A container's spark-submit line: the job's own arguments after the jar, checked against the compiled job. */
final class SparkSubmitLine {

    private SparkSubmitLine() {}

    /** The job's arguments: what follows the job jar on the spark-submit line (whose --class is the job's main). */
    static List<String> jobArguments(Rendered r, Container c) {
        List<String> line = r.commandLine(c);
        assertThat(line.get(0)).endsWith("/spark-submit");
        assertThat(Rendered.option(line, "--class")).contains(SparkJob.MAIN_CLASS);
        String jar = r.configValue("pipeline-config", "spark-job-jar");
        int at = line.indexOf(jar);
        assertThat(at).as("the job jar %s on the spark-submit line", jar).isPositive();
        return line.subList(at + 1, line.size());
    }

    static void assertOptionsKnown(List<String> jobArgs, String who) {
        Set<String> known = SparkJob.options().keySet();
        for (String arg : jobArgs) {
            if (arg.startsWith("--")) {
                String name = arg.substring(2).split("=", 2)[0];
                assertThat(known)
                        .as("%s passes --%s: an option of JobSettings", who, name)
                        .contains(name);
            }
        }
    }

    static void assertCassandraConnection(Rendered r, List<String> jobArgs, Workload w, Container c) {
        StatefulSet cassandra = r.get(StatefulSet.class, "cassandra");
        String dc = r.cassandraDc();
        assertThat(Rendered.option(jobArgs, "--cassandra-local-dc")).contains(dc);
        int cql = Integer.parseInt(
                Rendered.option(jobArgs, "--cassandra-port").orElse(SparkJob.optionDefault("cassandra-port")));
        for (String host :
                Rendered.option(jobArgs, "--cassandra-host").orElseThrow().split(",")) {
            Service s = r.get(Service.class, host.strip());
            assertThat(s.getSpec().getSelector())
                    .isEqualTo(cassandra.getSpec().getSelector().getMatchLabels());
            assertThat(s.getSpec().getPorts()).anyMatch(p -> p.getPort() == cql);
        }
        assertThat(Rendered.option(jobArgs, "--cassandra-username")).isPresent();
        assertThat(jobArgs).doesNotContain("--cassandra-password");
        String passwordFile =
                Rendered.option(jobArgs, "--cassandra-password-file").orElseThrow();
        VolumeMount mount = Pods.mountOf(c, passwordFile);
        Volume v = Pods.volume(w, mount.getName());
        assertThat(v.getSecret()).isNotNull();
        assertThat(Rendered.baseName(v.getSecret().getSecretName())).isEqualTo("cassandra-credentials");
        assertThat(passwordFile).isEqualTo(mount.getMountPath() + "/pipeline-password");
    }
}
