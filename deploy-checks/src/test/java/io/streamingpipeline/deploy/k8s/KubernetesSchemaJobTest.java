package io.streamingpipeline.deploy.k8s;

import static io.streamingpipeline.deploy.k8s.Manifests.DRIVER;
import static io.streamingpipeline.deploy.k8s.Manifests.SCHEMA_JOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.streamingpipeline.contract.CassandraSchema;
import io.streamingpipeline.contract.CassandraSchema.Replication;
import io.streamingpipeline.deploy.code.SparkJob;
import io.streamingpipeline.deploy.k8s.Rendered.Workload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The cassandra-schema Job: roles, the contract's CQL applied by the job image, replication sized to the StatefulSet. */
class KubernetesSchemaJobTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource(Manifests.OVERLAY_DIRECTORIES)
    void schemaJobAppliesTheContractCqlThroughTheJobImage(String overlay) {
        Rendered r = Rendered.of(overlay);
        Workload job = r.workload(SCHEMA_JOB);
        Container apply = job.container("apply-schema");
        List<String> jobArgs = SparkSubmitLine.jobArguments(r, apply);

        assertThat(apply.getImage())
                .as("the job jar of the driver")
                .isEqualTo(r.workload(DRIVER).container(DRIVER).getImage());
        // roles first, then the schema (init containers run in order), then the grants
        assertThat(job.template().getSpec().getInitContainers())
                .extracting(Container::getName)
                .containsExactly("roles", "apply-schema");
        assertThat(job.template().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("grants");
        assertThat(jobArgs).contains("--apply-schema");
        SparkSubmitLine.assertOptionsKnown(jobArgs, "schema job");
        assertThat(Rendered.option(jobArgs, "--keyspace").orElse(SparkJob.optionDefault("keyspace")))
                .isEqualTo(CassandraSchema.DEFAULT_KEYSPACE);
        SparkSubmitLine.assertCassandraConnection(r, jobArgs, job, apply);

        // replication sized to the Cassandra StatefulSet
        Replication replication = Replication.parse(
                Rendered.option(jobArgs, "--replication").orElse(SparkJob.optionDefault("replication")));
        StatefulSet cassandra = r.get(StatefulSet.class, "cassandra");
        int nodes = cassandra.getSpec().getReplicas();
        String dc = r.cassandraDc();
        if (overlay.endsWith("dev")) {
            assertThat(replication).isEqualTo(Replication.simple(1));
        } else {
            assertThat(replication).isEqualTo(Replication.networkTopology(Map.of(dc, 3)));
            assertThat(nodes).isEqualTo(3);
        }
        assertThat(replication.factors().values())
                .allSatisfy(rf -> assertThat(rf).isLessThanOrEqualTo(nodes));
        // system_auth is replicated the same way (the init container's CQL map)
        Container roles = job.container("roles");
        assertThat(r.env(roles)).containsEntry("SYSTEM_AUTH_REPLICATION", replication.cql());

        // the CQL lives once, in the contract: no copy of it in any ConfigMap
        assertThat(r.all(ConfigMap.class))
                .allSatisfy(cm -> assertThat(String.valueOf(cm.getData()))
                        .as("ConfigMap %s", cm.getMetadata().getName())
                        .doesNotContain("CREATE TABLE")
                        .doesNotContain("CREATE KEYSPACE"));
        assertThat(CassandraSchema.template()).contains("${replication}");
    }
}
