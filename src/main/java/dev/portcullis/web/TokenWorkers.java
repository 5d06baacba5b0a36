package dev.portcullis.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.concurrent.Semaphore;

/**
 * Lets at most {@code token_workers} token requests (one per core by default) do their work at once; the others
 * wait their turn in arrival order. Issuing a token is CPU work (a signature, the claims, the JSON), so more of them
 * at once than there are cores makes none faster: the kernel then slices the CPU between dozens of request threads,
 * and a request preempted halfway through its signature waits behind all of them, which at saturation gave a
 * 99th percentile twenty times the median. Queued in order instead, each request runs to its end once started, and
 * the wait is the queue ahead of it. Jetty's threads still read requests and write responses meanwhile; only the
 * handler's work is admitted here, and a waiting thread is parked, not runnable.
 */
public final class TokenWorkers {

    private final Semaphore turns;

    /** {@code workers}: at most that many at once; 0 for no limit. */
    public TokenWorkers(int workers) {
        this.turns = workers > 0 ? new Semaphore(workers, true) : null;
    }

    /** {@code handler}, run when its turn comes (at once when there is no limit). */
    public Handler admit(Handler handler) {
        if (turns == null) {
            return handler;
        }
        return ctx -> run(handler, ctx);
    }

    private void run(Handler handler, Context ctx) throws Exception {
        turns.acquire();
        try {
            handler.handle(ctx);
        } finally {
            turns.release();
        }
    }

    /** Requests waiting for their turn now (for tests and diagnostics). */
    public int waiting() {
        return turns == null ? 0 : turns.getQueueLength();
    }
}
