package io.streamingpipeline.spark.cassandra;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Asynchronous requests with at most a fixed number in flight: {@link #send} blocks while that many wait for their
 * answer, so a batch of tens of thousands of requests never exceeds what the driver's connections accept. The first
 * failure stops further sending and is thrown by {@link #send} or {@link #awaitAll}.
 */
public final class BoundedRequests<T> {

    private final Semaphore inFlight;
    private final List<CompletableFuture<T>> sent = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public BoundedRequests(int maxInFlight) {
        this.inFlight = new Semaphore(maxInFlight);
    }

    /** Sends one request once fewer than the maximum are in flight. */
    public void send(Supplier<? extends CompletionStage<T>> request) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending Cassandra requests", e);
        }
        throwIfFailed();
        CompletableFuture<T> answer;
        try {
            answer = request.get().toCompletableFuture();
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
        answer.whenComplete((result, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            inFlight.release();
        });
        sent.add(answer);
    }

    /** The answers, in the order of sending, once all have arrived. */
    public List<T> awaitAll() {
        List<T> answers = new ArrayList<>(sent.size());
        for (CompletableFuture<T> answer : sent) {
            try {
                answers.add(answer.join());
            } catch (CompletionException e) {
                throw unwrapped(e.getCause());
            }
        }
        return answers;
    }

    private void throwIfFailed() {
        Throwable error = failure.get();
        if (error != null) {
            inFlight.release();
            throw unwrapped(error);
        }
    }

    private static RuntimeException unwrapped(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
}
