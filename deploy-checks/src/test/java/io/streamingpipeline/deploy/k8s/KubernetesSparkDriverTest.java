package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.DRIVER;
import static io.streamingpipeline.deploy.k8s.Manifests.WORKER;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.TradeContract;
import io.streamingpipeline.deploy.code.SparkJob;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import io.streamingpipeline.spark.health.HealthServer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The Spark driver (spark-submit of the job) against the compiled job: options it knows, the contract's names, Kafka and
 * Cassandra Services, health port and paths, graceful stop, checkpoint claim.
 */
class KubernetesSparkDriverTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void driverRunsTheJobWithOptionsItKnows(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload driver = r.workload(DRIVER);
        Container c = driver.container(DRIVER);
        List<String> jobArgs = SparkSubmitLine.jobArguments(r, c);

        SparkSubmitLine.assertOptionsKnown(jobArgs, "driver");
        assertThat(Rendered.option(jobArgs, "--bootstrap-servers")).isPresent();
        ServiceEndpoints.assertKafkaBootstrap(
                r, Rendered.option(jobArgs, "--bootstrap-servers").orElseThrow());
        assertThat(Rendered.option(jobArgs, "--topic").orElse(SparkJob.optionDefault("topic")))
                .isEqualTo(TradeContract.TRADES_TOPIC);
        assertThat(Rendered.option(jobArgs, "--dead-letter-topic").orElse(SparkJob.optionDefault("dead-letter-topic")))
                .isEqualTo(TradeContract.DEAD_LETTER_TOPIC);
        assertThat(Rendered.option(jobArgs, "--keyspace").orElse(SparkJob.optionDefault("keyspace")))
                .isEqualTo(CassandraSchema.DEFAULT_KEYSPACE);
        SparkSubmitLine.assertCassandraConnection(r, jobArgs, driver, c);

        // health: the port the job listens on (option or JobSettings' default) is the port the probes use
        int healthPort = Integer.parseInt(
                Rendered.option(jobArgs, "--health-port").orElse(SparkJob.optionDefault("health-port")));
        assertThat(healthPort)
                .as("the driver's health port is JobSettings' default")
                .isEqualTo(Integer.parseInt(SparkJob.optionDefault("health-port")));
        assertThat(Pods.httpGet(c, c.getReadinessProbe())).isEqualTo(healthPort + " " + HealthServer.READY);
        assertThat(Pods.httpGet(c, c.getLivenessProbe())).isEqualTo(healthPort + " " + HealthServer.LIVE);
        assertThat(Pods.httpGet(c, c.getStartupProbe())).isEqualTo(healthPort + " " + HealthServer.LIVE);
        assertThat(driver.template().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/port", Integer.toString(healthPort))
                .containsEntry("prometheus.io/path", HealthServer.METRICS);

        // graceful stop fits in the termination grace period
        long graceful = Sizes.seconds(Rendered.option(jobArgs, "--graceful-stop-timeout")
                .orElse(SparkJob.optionDefault("graceful-stop-timeout")));
        assertThat(driver.template().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThan(graceful);

        // why the driver exited, in kubectl describe pod: the job writes a refusal to the default message path
        assertThat(c.getTerminationMessagePath()).isIn(null, "/dev/termination-log");
        assertThat(c.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");

        // executors reach the driver at its pod IP
        assertThat(r.env(c)).containsEntry("POD_IP", "<status.podIP>");
        assertThat(r.commandLine(c)).contains("spark.driver.host=<status.podIP>");
        Service headless = r.get(Service.class, DRIVER);
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();

        // the checkpoint directory on a claim of the driver's; the job keeps no state in executors, so the workers
        // mount none (and the claim can be ReadWriteOnce)
        String checkpoint = Rendered.option(jobArgs, "--checkpoint-location").orElseThrow();
        VolumeMount driverMount = Pods.mountOf(c, checkpoint);
        String claim = Pods.volume(driver, driverMount.getName())
                .getPersistentVolumeClaim()
                .getClaimName();
        assertThat(r.find(PersistentVolumeClaim.class, claim))
                .as("claim %s", claim)
                .isPresent();
        assertThat(r.workload(WORKER).template().getSpec().getVolumes())
                .noneMatch(v -> v.getPersistentVolumeClaim() != null);
    }
}
