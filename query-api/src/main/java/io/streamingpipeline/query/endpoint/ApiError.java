package io.streamingpipeline.query.endpoint;

/**
 * The JSON body of every error answer: {@code error} is a stable code ({@code bad_request}, {@code too_many_streams},
 * {@code cassandra_unavailable}, {@code cassandra_error}), {@code parameter} names the offending request parameter
 * (400 only), {@code message} says what is wrong in words.
 */
public record ApiError(String error, String parameter, String message) {}
