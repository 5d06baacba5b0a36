package dev.portcullis.ops;

import dev.portcullis.ops.Flows.SignIn;
import dev.portcullis.ops.OpsHttp.Reply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Workers sending the traffic of real clients through one URL: Client Credentials, On-Behalf-Of, JWKS reads,
 * PKCE sign-ins (whose codes are redeemed two seconds later, so that some cross whatever happens meanwhile)
 * and refreshes of the sign-ins' rotating refresh tokens. Every request is timed; every failure (no answer,
 * a 5xx, or a refusal of something valid) is recorded with its time; each worker keeps a {@link Ledger} of what
 * its client holds. Closed loop by default; with a rate, operations are paced to it.
 */
public final class MixedLoad {

    public enum Op { CLIENT_CREDENTIALS, ON_BEHALF_OF, JWKS, SIGN_IN, REDEEM, REFRESH }

    /** Relative weights of the operations a worker picks (a redemption follows each sign-in on its own). */
    public record Mix(int clientCredentials, int onBehalfOf, int jwks, int signIn, int refresh) {
        public static final Mix DEFAULT = new Mix(6, 2, 1, 1, 3);

        int total() {
            return clientCredentials + onBehalfOf + jwks + signIn + refresh;
        }
    }

    /** A failed request: when (System.nanoTime), which operation, what came back; {@code lost} when a confirmed item was refused. */
    public record Failure(long atNanos, Op op, String what, boolean lost, long tookNanos) {
    }

    private static final long REDEEM_AFTER_NANOS = 2_000_000_000L;
    private static final int MAX_FAMILIES_PER_WORKER = 40;

    private final String base;
    private final int workers;
    private final Mix mix;
    private final double ratePerSecond;
    private final OpsHttp http = new OpsHttp();
    private final Flows flows = new Flows(http);
    private final List<Thread> threads = new ArrayList<>();
    private final List<Ledger> ledgers = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<long[]> latencies = new ConcurrentLinkedQueue<>();
    private final Map<Op, LongAdder> done = new EnumMap<>(Op.class);
    private final AtomicLong nextSlot = new AtomicLong();
    private volatile boolean running;
    private volatile long signOutAfterNanos = Long.MAX_VALUE;

    public MixedLoad(String base, int workers, Mix mix, double ratePerSecond) {
        this.base = base;
        this.workers = workers;
        this.mix = mix;
        this.ratePerSecond = ratePerSecond;
        for (Op op : Op.values()) {
            done.put(op, new LongAdder());
        }
    }

    /**
     * Clients drop a sign-in this long after it began, before its refresh tokens reach their absolute lifetime (a
     * run longer than that lifetime would otherwise take the expiry for a lost refresh token).
     */
    public MixedLoad signOutAfter(java.time.Duration age) {
        signOutAfterNanos = age.toNanos();
        return this;
    }

    public MixedLoad start() {
        running = true;
        nextSlot.set(System.nanoTime());
        for (int i = 0; i < workers; i++) {
            Ledger ledger = new Ledger();
            ledgers.add(ledger);
            Thread thread = new Thread(() -> work(ledger), "mixed-load-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return this;
    }

    /** Stops the workers after their current operation (at most one request timeout). */
    public void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(30_000);
        }
    }

    public long requests() {
        return http.sent();
    }

    public long operations(Op op) {
        return done.get(op).sum();
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    public Flows flows() {
        return flows;
    }

    /** Every worker's ledger, merged; call after {@link #stop}. */
    public Ledger ledger() {
        Ledger all = new Ledger();
        synchronized (ledgers) {
            ledgers.forEach(all::merge);
        }
        return all;
    }

    /** Latencies (nanoseconds) of the requests answered since the last call, for a sampler. */
    public long[] drainLatencies() {
        List<Long> values = new ArrayList<>();
        for (long[] sample; (sample = latencies.poll()) != null; ) {
            values.add(sample[0]);
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private void work(Ledger ledger) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            pace();
            redeemDueCodes(ledger);
            int pick = random.nextInt(mix.total());
            if ((pick -= mix.clientCredentials()) < 0) {
                Reply reply = timed(flows.clientCredentials(base));
                check(Op.CLIENT_CREDENTIALS, reply, reply.status() == 200);
                if (reply.ok() && random.nextInt(50) == 0) {
                    synchronized (ledger) {
                        ledger.accessTokens.add(reply.json("access_token").orElse(""));
                    }
                }
            } else if ((pick -= mix.onBehalfOf()) < 0) {
                Reply reply = timed(flows.onBehalfOf(base, OpsTenant.user(1 + random.nextInt(OpsTenant.USERS))));
                check(Op.ON_BEHALF_OF, reply, reply.status() == 200);
            } else if ((pick -= mix.jwks()) < 0) {
                Reply reply = timed(flows.jwks(base));
                check(Op.JWKS, reply, reply.status() == 200);
            } else if ((pick -= mix.signIn()) < 0) {
                int user = 1 + random.nextInt(OpsTenant.USERS);
                SignIn signIn = flows.signIn(base, OpsTenant.SPA, OpsTenant.user(user), OpsTenant.password(user));
                timed(signIn.reply());
                if (signIn.ok()) {
                    done.get(Op.SIGN_IN).increment();
                    synchronized (ledger) {
                        ledger.codes.add(new Ledger.PendingCode(signIn, OpsTenant.SPA, System.nanoTime()));
                    }
                } else {
                    fail(Op.SIGN_IN, signIn.reply(), signIn.step() + ": " + signIn.reply().describe(), false);
                }
            } else {
                refreshOne(ledger, random);
            }
        }
    }

    private void redeemDueCodes(Ledger ledger) {
        Ledger.PendingCode due;
        synchronized (ledger) {
            if (ledger.codes.isEmpty() || System.nanoTime() - ledger.codes.get(0).receivedAtNanos() < REDEEM_AFTER_NANOS) {
                return;
            }
            due = ledger.codes.remove(0);
        }
        Reply reply = timed(flows.redeem(base, due.clientId(), due.signIn()));
        if (reply.status() == 200 && reply.json("refresh_token").isPresent()) {
            done.get(Op.REDEEM).increment();
            synchronized (ledger) {
                ledger.families.add(new Ledger.Family(due.clientId(), reply.json("refresh_token").get()));
                if (ledger.families.size() > MAX_FAMILIES_PER_WORKER) {
                    ledger.families.remove(0); // the client signs that user out: no longer held, no longer checked
                }
            }
        } else if (reply.failed()) {
            fail(Op.REDEEM, reply, reply.describe(), false);
            synchronized (ledger) {
                ledger.unanswered.add(new Ledger.Unanswered("code", due.clientId(), due.signIn().code().orElseThrow(), due.signIn()));
            }
        } else {
            fail(Op.REDEEM, reply, "confirmed code refused: " + reply.describe(), true);
        }
    }

    private void refreshOne(Ledger ledger, ThreadLocalRandom random) {
        Ledger.Family family;
        synchronized (ledger) {
            if (ledger.families.isEmpty()) {
                return;
            }
            family = ledger.families.get(random.nextInt(ledger.families.size()));
            if (System.nanoTime() - family.signedInAtNanos > signOutAfterNanos) {
                ledger.families.remove(family); // signed out: no longer held, no longer checked
                return;
            }
        }
        String sent = family.refreshToken;
        Reply reply = timed(flows.refresh(base, family.clientId, sent));
        if (reply.status() == 200 && reply.json("refresh_token").isPresent()) {
            done.get(Op.REFRESH).increment();
            family.refreshToken = reply.json("refresh_token").get();
        } else if (reply.failed()) {
            // the client cannot know whether the rotation happened: it stops using this sign-in, the audit looks it up
            fail(Op.REFRESH, reply, reply.describe(), false);
            synchronized (ledger) {
                ledger.families.remove(family);
                ledger.unanswered.add(new Ledger.Unanswered("refresh", family.clientId, sent, null));
            }
        } else {
            fail(Op.REFRESH, reply, "confirmed refresh token refused: " + reply.describe(), true);
            synchronized (ledger) {
                ledger.families.remove(family);
            }
        }
    }

    private void check(Op op, Reply reply, boolean ok) {
        if (ok) {
            done.get(op).increment();
        } else {
            fail(op, reply, reply.describe(), false);
        }
    }

    /** Records a failure; the worker then waits 20 ms, as a client backs off, rather than spin on a dead server. */
    private void fail(Op op, Reply reply, String what, boolean lost) {
        // timed from when the request was sent: one sent before an instance was ready (or taken out) belongs before
        failures.add(new Failure(System.nanoTime() - reply.nanos(), op, what, lost, reply.nanos()));
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Reply timed(Reply reply) {
        if (reply.status() > 0) {
            latencies.add(new long[] {reply.nanos()});
        }
        return reply;
    }

    /** With a rate: one operation per slot, shared by all workers; a worker behind by over a second skips ahead. */
    private void pace() {
        if (ratePerSecond <= 0) {
            return;
        }
        long interval = (long) (1e9 / ratePerSecond);
        long now = System.nanoTime();
        nextSlot.accumulateAndGet(now - 1_000_000_000L, Math::max);
        long slot = nextSlot.getAndAdd(interval);
        long wait = slot - now;
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
