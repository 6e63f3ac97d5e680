package io.streamingpipeline.query.endpoint;

import io.streamingpipeline.query.cassandra.DriverErrors;
import io.streamingpipeline.query.domain.InvalidRequestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Bad input: 400; Cassandra unavailable: 503 with Retry-After; other Cassandra failures: 500. Always a JSON body. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return json(Response.Status.BAD_REQUEST, new ApiError("bad_request", e.parameter(), e.getMessage()));
    }

    @ServerExceptionMapper(priority = 5000)
    public Response driverFailure(com.datastax.oss.driver.api.core.DriverException e) {
        return cassandra(e);
    }

    @ServerExceptionMapper
    public Response unavailable(io.streamingpipeline.query.cassandra.CassandraUnavailableException e) {
        return cassandra(e);
    }

    static Response cassandra(Throwable e) {
        String detail = DriverErrors.describe(e);
        if (DriverErrors.isUnavailable(e)) {
            LOG.warnf("Cassandra unavailable: %s", detail);
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError("cassandra_unavailable", null,
                            "Cassandra is unavailable, try again shortly: " + detail))
                    .build();
        }
        LOG.errorf(e, "Cassandra query failed: %s", detail);
        return json(Response.Status.INTERNAL_SERVER_ERROR, new ApiError("cassandra_error", null,
                "Cassandra could not run the query: " + detail));
    }

    private static Response json(Response.Status status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
