package dev.portcullis.ops;

import dev.portcullis.ops.OpsHttp.Reply;
import dev.portcullis.ops.Probe.Answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The randomized HTTP run: requests to every endpoint, valid and malformed mixed ({@link RandomCatalog},
 * {@link Mutator}), against a real server. It holds three things: no answer is a 5xx (or none at all); every valid
 * request gets the status it should; no refusal carries a stack trace, and an OAuth refusal is RFC 6749 JSON, an
 * admin API refusal RFC 9457 problem JSON. Reproducible from its seed (per worker: seed + worker number).
 */
public final class RandomRequests {

    /** What broke an invariant. */
    public record Violation(String probe, String problem) {
    }

    /** The run's figures and every violation (the first 50 kept). */
    public record Report(long requests, long valid, long malformed, Map<String, Long> byEndpoint, Map<Integer, Long> byStatus,
                         long violations, List<Violation> examples, double seconds) {
        public String summary() {
            return String.format(Locale.ROOT, "%,d requests in %.0f s (%,d valid, %,d malformed) over %d endpoints: %d violations",
                    requests, seconds, valid, malformed, byEndpoint.size(), violations);
        }
    }

    private final String base;
    private final int port;
    private final OpsHttp http = new OpsHttp();
    private final RandomCatalog catalog = new RandomCatalog(this::send);
    private final AtomicLong sent = new AtomicLong();
    private final LongAdder valid = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder violationCount = new LongAdder();
    private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Violation> violations = new ConcurrentLinkedQueue<>();

    private final java.util.function.BiConsumer<Probe, Reply> observer;

    public RandomRequests(String base) {
        this(base, (probe, reply) -> { });
    }

    /** With something that sees every request and its answer (the log-leak check collects secrets with it). */
    public RandomRequests(String base, java.util.function.BiConsumer<Probe, Reply> observer) {
        this.observer = observer;
        this.base = base;
        this.port = java.net.URI.create(base).getPort();
    }

    /** Sends about {@code total} requests from {@code workers} threads; 60% of the picked requests are mutated. */
    public Report run(long total, int workers, long seed) throws InterruptedException {
        List<String> endpoints = new ArrayList<>();
        RandomCatalog.WEIGHTS.forEach((name, weight) -> {
            for (int i = 0; i < weight; i++) {
                endpoints.add(name);
            }
        });
        endpoints.sort(null);
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Random random = new Random(seed + w);
            Thread thread = new Thread(() -> {
                while (sent.get() < total) {
                    Probe probe = catalog.valid(endpoints.get(random.nextInt(endpoints.size())), random);
                    if (random.nextInt(10) < 6) {
                        if (probe.endpoint.equals("login")) {
                            // failed sign-ins count against their account: keep them off the accounts valid ones use
                            RandomCatalog.asThrottledUser(probe);
                        }
                        Mutator.mutate(probe, random);
                    }
                    try {
                        Reply reply = send(probe);
                        catalog.absorb(probe, reply);
                        catalog.registeredClient(probe, reply);
                        if (probe.endpoint.equals("login")) {
                            catalog.afterLogin(probe, reply);
                        }
                    } catch (RuntimeException | StackOverflowError e) {
                        // a fault of this driver, not an answer of the server: counted, so the run fails, and the worker goes on
                        violation(probe, "the driver failed on this request: " + e);
                    }
                }
            }, "random-requests-" + w);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        Map<String, Long> endpointCounts = new TreeMap<>();
        byEndpoint.forEach((k, v) -> endpointCounts.put(k, v.sum()));
        Map<Integer, Long> statusCounts = new TreeMap<>();
        byStatus.forEach((k, v) -> statusCounts.put(k, v.sum()));
        return new Report(sent.get(), valid.sum(), malformed.sum(), endpointCounts, statusCounts, violationCount.sum(),
                List.copyOf(violations), (System.nanoTime() - start) / 1e9);
    }

    /** Sends one probe and holds its answer to the invariants. */
    Reply send(Probe probe) {
        sent.incrementAndGet();
        (probe.valid() ? valid : malformed).increment();
        byEndpoint.computeIfAbsent(probe.endpoint, k -> new LongAdder()).increment();
        Reply reply = probe.raw ? raw(probe) : viaClient(probe);
        if (reply.status() < 0 && !probe.raw) {
            // the JDK client reports no answer when the server answers (e.g. 414) and closes while a body is still
            // being sent; the same request over a plain socket reads what the server wrote before it closed
            probe.raw = true;
            probe.rawTarget = probe.target();
            reply = raw(probe);
        }
        byStatus.computeIfAbsent(reply.status(), k -> new LongAdder()).increment();
        check(probe, reply);
        observer.accept(probe, reply);
        return reply;
    }

    private Reply viaClient(Probe probe) {
        try {
            return http.send(probe.method, base + probe.target(), probe.contentType, probe.bodyBytes(), probe.headers);
        } catch (IllegalArgumentException e) {
            // a header or URI the JDK client will not send (control characters): sent raw instead
            probe.raw = true;
            probe.rawTarget = probe.target();
            return raw(probe);
        }
    }

    private Reply raw(Probe probe) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        probe.headers.forEach((name, value) -> headers.put(name, value.replace("\r", "").replace("\n", "")));
        RawHttp.Answer answer = RawHttp.send(port, RawHttp.request(probe.method, probe.rawTarget.replace(" ", "%20"),
                probe.contentType, probe.bodyBytes(), headers));
        int split = answer.text().indexOf("\r\n\r\n");
        String head = split < 0 ? answer.text() : answer.text().substring(0, split);
        String body = split < 0 ? "" : answer.text().substring(split + 4);
        Map<String, String> parsed = new java.util.HashMap<>();
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                parsed.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + "\n" + b);
            }
        }
        return new Reply(answer.status(), body, parsed, answer.status() < 0 ? answer.text() : null, 0);
    }

    private void check(Probe probe, Reply reply) {
        int status = reply.status();
        if (status < 0) {
            violation(probe, "no answer: " + reply.failure());
            return;
        }
        if (status >= 500) {
            violation(probe, "HTTP " + status + ": " + reply.describe());
            return;
        }
        String body = reply.body();
        if (body.contains("\tat ") || body.contains("Exception:") || body.contains("at dev.portcullis.")) {
            violation(probe, "a stack trace in the answer: " + reply.describe());
            return;
        }
        if (probe.valid() && !probe.expected.contains(status)) {
            violation(probe, "a valid request got " + reply.describe() + " (expected " + probe.expected + ")");
            return;
        }
        if (status >= 400 && !probe.raw && !probe.method.equals("HEAD")) {
            String type = reply.header("content-type").orElse("");
            boolean oauthJson = type.startsWith("application/json") && reply.json("error").isPresent();
            // refused before any route (Jetty's limits): OAuth JSON whatever the path
            boolean beforeRouting = status == 413 || status == 414 || status == 431;
            if (probe.answer == Answer.OAUTH_JSON && !oauthJson) {
                violation(probe, "an OAuth refusal that is not RFC 6749 JSON: " + type + " " + reply.describe());
            } else if (probe.answer == Answer.PROBLEM_JSON && probe.path.startsWith("/admin/api") && status != 404 && status != 405
                    && !type.startsWith("application/problem+json") && !(beforeRouting && oauthJson)) {
                violation(probe, "an admin API refusal that is not problem JSON: " + type + " " + reply.describe());
            }
        }
    }

    private void violation(Probe probe, String problem) {
        violationCount.increment();
        if (violations.size() < 50) {
            violations.add(new Violation(probe.describe(), problem));
        }
    }

    /** {@code ops/random-requests [--requests N] [--workers N] [--seed S] [--store sqlite|postgres]}. */
    public static void main(String[] args) throws Exception {
        long requests = 100_000;
        int workers = 4;
        long seed = System.currentTimeMillis();
        String store = "sqlite";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--requests" -> requests = Long.parseLong(args[++i]);
                case "--workers" -> workers = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--store" -> store = args[++i];
                default -> {
                    System.err.println("usage: ops/random-requests [--requests N] [--workers N] [--seed S] [--store sqlite|postgres]");
                    System.exit(2);
                }
            }
        }
        java.nio.file.Path run = java.nio.file.Path.of("target", "ops", "random-" + java.time.Instant.now().toString()
                .replace(":", "").replaceAll("\\..*", "Z")).toAbsolutePath();
        Scenarios.log("randomized run: " + requests + " requests, seed " + seed + ", " + store + "; logs in " + run);
        // at DEBUG, and every secret sent or answered is then looked for in the logs
        Map<String, String> debug = Map.of("PORTCULLIS_LOG_LEVEL", "DEBUG");
        SentSecrets secrets = new SentSecrets();
        Report report;
        try (OpsCluster cluster = store.equals("postgres")
                ? OpsCluster.postgres(InstanceProcess.Launch.LAUNCHER, 1, false, run, debug)
                : OpsCluster.sqlite(InstanceProcess.Launch.LAUNCHER, 1, run, debug)) {
            report = new RandomRequests(cluster.baseUrl(), secrets::observe).run(requests, workers, seed);
        }
        System.out.println(report.summary());
        System.out.println("by endpoint: " + report.byEndpoint());
        System.out.println("by status:   " + report.byStatus());
        report.examples().forEach(v -> System.out.println("VIOLATION " + v.probe() + ": " + v.problem()));
        List<LogLeaks.Leak> leaks = LogLeaks.scan(run, secrets.kindBySecret());
        System.out.printf(Locale.ROOT, "log scan (server at DEBUG): %,d secrets sent or answered (%s), %d found in %s%n",
                secrets.kindBySecret().size(), String.join(", ", new java.util.TreeSet<>(secrets.kinds())), leaks.size(), run);
        leaks.forEach(leak -> System.out.println("LEAK " + leak));
        if (report.requests() < requests) {
            System.out.println("INCOMPLETE: " + report.requests() + " of " + requests + " requests sent");
        }
        System.exit(report.violations() == 0 && leaks.isEmpty() && report.requests() >= requests ? 0 : 1);
    }
}
