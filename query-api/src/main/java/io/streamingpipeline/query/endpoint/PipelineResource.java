package io.streamingpipeline.query.endpoint;

import io.smallrye.mutiny.Uni;
import io.streamingpipeline.query.pipeline.ComponentStatus;
import io.streamingpipeline.query.pipeline.PipelineStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/pipeline")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineResource {

    private final PipelineStatus status;

    public PipelineResource(PipelineStatus status) {
        this.status = status;
    }

    @GET
    @Operation(
            summary =
                    "Readiness and rows/s of the ingestor and the Spark job, the ingestor's feed gaps (seconds without a "
                            + "subscribed feed by reason, the gap still open, seconds since each symbol's last trade), and whether "
                            + "Cassandra answers")
    public Uni<Map<String, List<ComponentStatus>>> pipeline() {
        return status.read().map(components -> Map.of("components", components));
    }
}
