package io.streamingpipeline.query.endpoint;

import io.streamingpipeline.query.cassandra.CassandraUnavailableException;
import io.streamingpipeline.query.cassandra.DriverErrors;
import io.streamingpipeline.query.domain.InvalidRequestException;
import io.streamingpipeline.query.live.TooManyStreamsException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Bad input: 400; too many live streams: 429; Cassandra unavailable: 503; other Cassandra failures: 500. Always a
 * JSON body. The bodies of 503 and 500 name no host, role, table or driver message: those go to the log.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Seconds a client should wait before asking again (Retry-After) after a 503, and after a 429. */
    static final String CASSANDRA_RETRY_AFTER = "5";

    static final String STREAMS_RETRY_AFTER = "30";

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return json(Response.Status.BAD_REQUEST, new ApiError("bad_request", e.parameter(), e.getMessage()));
    }

    @ServerExceptionMapper
    public Response tooManyStreams(TooManyStreamsException e) {
        return Response.status(Response.Status.TOO_MANY_REQUESTS)
                .header("Retry-After", STREAMS_RETRY_AFTER)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(
                        "too_many_streams",
                        null,
                        "This service already serves its maximum of " + e.max() + " live streams; try again in "
                                + STREAMS_RETRY_AFTER + " s."))
                .build();
    }

    @ServerExceptionMapper(priority = 5000)
    public Response driverFailure(com.datastax.oss.driver.api.core.DriverException e) {
        return cassandra(e);
    }

    @ServerExceptionMapper
    public Response unavailable(CassandraUnavailableException e) {
        return cassandra(e);
    }

    static Response cassandra(Throwable e) {
        String detail = DriverErrors.describe(e);
        if (DriverErrors.isUnavailable(e)) {
            LOG.warnf("Cassandra unavailable: %s", detail);
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", CASSANDRA_RETRY_AFTER)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(
                            "cassandra_unavailable",
                            null,
                            "Cassandra is unavailable; try again in " + CASSANDRA_RETRY_AFTER + " s."))
                    .build();
        }
        LOG.errorf(e, "Cassandra query failed: %s", detail);
        return json(
                Response.Status.INTERNAL_SERVER_ERROR,
                new ApiError(
                        "cassandra_error", null, "Cassandra could not run the query; the service's log says why."));
    }

    private static Response json(Response.Status status, ApiError body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body)
                .build();
    }
}
