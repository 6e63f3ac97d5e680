package io.streamingpipeline.deploy.k8s;

import java.util.List;

/** The kustomizations the checks render, and the workload names of the pipeline's manifests. */
final class Manifests {

    /** The overlays one applies. */
    static final List<String> OVERLAYS = List.of("overlays/dev", "overlays/prod");
    /** Every kustomization, base included. */
    static final List<String> ALL = Kustomize.DIRECTORIES;

    /** For {@code @FieldSource}: each overlay, each kustomization. */
    static final String OVERLAY_DIRECTORIES = "io.streamingpipeline.deploy.k8s.Manifests#OVERLAYS";

    static final String ALL_DIRECTORIES = "io.streamingpipeline.deploy.k8s.Manifests#ALL";

    static final String INGESTOR = "ingestor";
    static final String DRIVER = "spark-driver";
    static final String WORKER = "spark-worker";
    static final String SCHEMA_JOB = "cassandra-schema";
    static final String TOPICS_JOB = "kafka-topics";
    static final String QUERY_API = "query-api";

    private Manifests() {}
}
