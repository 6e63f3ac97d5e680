package io.streamingpipeline.ingestor.feed;

import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;

/**
 * How far the ingestor is behind its feed. The websockets-next client of Quarkus 3.33 reads every message as it
 * arrives and queues its handling as a task on the connection's event loop, without back-pressure (Quarkus 3.40
 * adds {@code max-pending-messages}); a feed faster than the ingestor would fill the heap with queued messages.
 * The number of tasks waiting on the current event loop is that queue's length.
 */
final class InboundBacklog {

    /** Above this many queued messages, new ones are dropped unread (at 100 trades per message: ~30 MiB of text). */
    static final int MAX_MESSAGES = 4096;
    /** Once dropping, messages are dropped until the queue is below this. */
    static final int RESUME_BELOW = 1024;

    private InboundBacklog() {
    }

    /** Tasks waiting on the calling thread's event loop; 0 off an event loop. */
    static int queuedMessages() {
        if (Vertx.currentContext() instanceof ContextInternal context
                && context.nettyEventLoop() instanceof SingleThreadEventExecutor loop) {
            return loop.pendingTasks();
        }
        return 0;
    }
}
