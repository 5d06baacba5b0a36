import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-model, constant-rate HTTP/1.1 load generator for bench/run (one file, no dependencies, JDK 17 source
 * launcher: {@code java bench/rate/RateLoad.java ...}).
 *
 * <p><b>Open model, coordinated omission corrected.</b> Request {@code i} is due at {@code t0 + i / rate},
 * whatever happened to the requests before it. A pool of connections (one thread each, blocking sockets,
 * keep-alive) takes the due times in order from one counter: a free connection sleeps until its request is
 * due and sends it then; when every connection is busy, the next request goes out late, as soon as one
 * frees up. Latency is always measured from the <em>due</em> time to the last byte of the response, so the
 * time a request spent waiting for a connection, because the server was slow with the ones before it,
 * counts (what wrk2 calls correcting for coordinated omission; a closed-loop tool such as wrk measures from
 * the actual send and so hides that wait). The generator's own lateness (actual send minus due time when a
 * connection was free) is reported separately as {@code send_lag_*}, so what the generator adds can be told
 * from what the server adds.
 *
 * <p><b>Closed model</b> ({@code --rate 0}): every connection sends its next request as soon as the previous
 * answer arrives and latency is measured from the send, as wrk does; used to check this generator against
 * wrk at saturation ({@code bench/rate/validate}).
 *
 * <p><b>Bounded.</b> Requests due before warm-up + duration are sent; those still unsent when the grace
 * period after the window ends ({@code --grace}, 5 s) are not sent and count as timed out, with the time they
 * had waited as their (lower-bound) latency. Every read has a 10 s timeout. So the process always ends by
 * itself, at most grace + 10 s after the window.
 *
 * <p>Output: the lines {@code BENCH_MEASURE_START} / {@code BENCH_MEASURE_END} when the measured window
 * opens and closes (bench/run takes its CPU and RSS readings on them), then one {@code BENCH_JSON {...}} line
 * with bench/lua/request.lua's fields plus the intended and achieved rates and the send lag. A request
 * counts in the window when it was <em>due</em> inside it (open model) or completed inside it (closed).
 *
 * <pre>
 * java bench/rate/RateLoad.java --url http://127.0.0.1:18080 --path /x/oauth2/token --body 'grant_type=...'
 *      [--method POST|GET] [--rate 1000 | 0] [--connections 64] [--warmup 5] [--duration 15] [--grace 5]
 *      [--requests FILE [--pick random|sequential]] [--label text] [--markers]
 * </pre>
 * {@code --requests FILE}: one request per line, {@code METHOD<TAB>PATH<TAB>BODY}; each request picks a line
 * at random (every tenant of a many-tenant run equally likely) or, with {@code --pick sequential}, the next
 * line, each line once (the run then ends when the lines run out; no warm-up).
 */
public final class RateLoad {

    private static final int TIMEOUT_MS = 10_000;
    private static final int TIMED_OUT = -1;
    private static final int READ_ERROR = -2;
    private static final int CONNECT_ERROR = -3;

    /** One request, prebuilt as the bytes sent. */
    private record Request(byte[] bytes) {
    }

    /** Latencies and counts of one connection. */
    private static final class Stats {
        long[] latencies = new long[8192];
        int count;
        long[] lags = new long[8192];
        int lagCount;

        void add(long us) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = us;
        }

        void lag(long us) {
            if (lagCount == lags.length) {
                lags = Arrays.copyOf(lags, lagCount * 2);
            }
            lags[lagCount++] = us;
        }
    }

    private final String host;
    private final int port;
    private final List<Request> requests;
    private final boolean sequential;
    private final double rate;
    private final int connections;
    private final long warmupNs;
    private final long durationNs;
    private final long graceNs;
    private final String label;

    private final LongAdder answered = new LongAdder();
    private final LongAdder non2xx = new LongAdder();
    private final LongAdder connectErrors = new LongAdder();
    private final LongAdder readErrors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder unsent = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final AtomicLong slot = new AtomicLong();
    private final Map<Integer, LongAdder> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong errorsShown = new AtomicLong();

    private RateLoad(Map<String, String> opt) throws IOException {
        URI base = URI.create(opt.getOrDefault("url", ""));
        if (base.getHost() == null || !"http".equals(base.getScheme())) {
            throw new IllegalArgumentException("--url http://host:port is required");
        }
        host = base.getHost();
        port = base.getPort() < 0 ? 80 : base.getPort();
        String hostHeader = host + ":" + port;
        requests = new ArrayList<>();
        if (opt.containsKey("requests")) {
            for (String line : Files.readAllLines(Path.of(opt.get("requests")), StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", 3);
                requests.add(build(f[0], f[1], f.length > 2 ? f[2] : "", hostHeader));
            }
        } else {
            requests.add(build(opt.getOrDefault("method", "POST"), opt.getOrDefault("path", "/"),
                    opt.getOrDefault("body", ""), hostHeader));
        }
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("no requests");
        }
        sequential = opt.getOrDefault("pick", "random").equals("sequential");
        rate = Double.parseDouble(opt.getOrDefault("rate", "0"));
        connections = Integer.parseInt(opt.getOrDefault("connections", rate > 0 ? "64" : "32"));
        warmupNs = sequential ? 0 : (long) (Double.parseDouble(opt.getOrDefault("warmup", "5")) * 1e9);
        // sequential: each line once, so the run lasts as long as the lines take at the rate
        durationNs = sequential && rate > 0 ? (long) (requests.size() * 1e9 / rate) + 1
                : (long) (Double.parseDouble(opt.getOrDefault("duration", "15")) * 1e9);
        graceNs = (long) (Double.parseDouble(opt.getOrDefault("grace", "5")) * 1e9);
        label = opt.getOrDefault("label", "");
        if (rate < 0 || connections < 1 || durationNs <= 0) {
            throw new IllegalArgumentException("--rate >= 0, --connections >= 1, --duration > 0");
        }
        if (sequential && rate <= 0) {
            throw new IllegalArgumentException("--pick sequential needs --rate > 0");
        }
    }

    private static Request build(String method, String path, String body, String hostHeader) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(hostHeader)
                .append("\r\nAccept: application/json\r\nUser-Agent: portcullis-bench-rateload\r\n");
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        if (method.equals("POST")) {
            sb.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ").append(b.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + (method.equals("POST") ? b.length : 0));
        if (method.equals("POST")) {
            System.arraycopy(b, 0, all, head.length, b.length);
        }
        return new Request(all);
    }

    /** One keep-alive connection: sends a request, reads the whole response, reconnects when the server closes. */
    private final class Connection {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] line = new byte[8192];

        private void open() throws IOException {
            close();
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MS);
            try {
                s.connect(new InetSocketAddress(host, port), 5_000);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            in = new BufferedInputStream(s.getInputStream(), 16384);
            out = s.getOutputStream();
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }

        /** Sends the request and reads the response; returns the status, or TIMED_OUT, READ_ERROR or CONNECT_ERROR. */
        int exchange(Request request) {
            for (int attempt = 0; attempt < 2; attempt++) {
                boolean fresh = socket == null;
                try {
                    if (fresh) {
                        open();
                    }
                    out.write(request.bytes());
                    out.flush();
                    return readResponse();
                } catch (java.net.SocketTimeoutException e) {
                    close();
                    return TIMED_OUT;
                } catch (IOException e) {
                    boolean connecting = socket == null;
                    close();
                    // a kept-alive connection the server closed meanwhile: retry once on a new one
                    if (fresh || attempt == 1) {
                        if (errorsShown.incrementAndGet() <= 5) {
                            System.err.println("rateload: " + e);
                        }
                        return connecting ? CONNECT_ERROR : READ_ERROR;
                    }
                    reconnects.increment();
                }
            }
            return READ_ERROR;
        }

        private int readResponse() throws IOException {
            String status = readLine();
            if (status == null || !status.startsWith("HTTP/1.")) {
                throw new IOException("no HTTP status line: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closeAfter = status.startsWith("HTTP/1.0");
            String h;
            while ((h = readLine()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (h == null) {
                throw new IOException("connection closed in the headers");
            }
            long n;
            if (chunked) {
                n = 0;
                while (true) {
                    String size = readLine();
                    if (size == null) {
                        throw new IOException("connection closed in a chunk");
                    }
                    int semi = size.indexOf(';');
                    long chunk = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                    if (chunk == 0) {
                        while ((h = readLine()) != null && !h.isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(chunk);
                    n += chunk;
                    readLine();
                }
            } else if (length >= 0) {
                skip(length);
                n = length;
            } else {
                // no length: the body ends with the connection
                n = 0;
                while (in.read() >= 0) {
                    n++;
                }
                closeAfter = true;
            }
            bytes.add(n);
            if (closeAfter) {
                close();
            }
            return code;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in the body");
                    }
                    k = 1;
                }
                n -= k;
            }
        }

        private String readLine() throws IOException {
            int len = 0;
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    if (len > 0 && line[len - 1] == '\r') {
                        len--;
                    }
                    return new String(line, 0, len, StandardCharsets.ISO_8859_1);
                }
                if (len < line.length) {
                    line[len++] = (byte) c;
                }
            }
            return len == 0 ? null : new String(line, 0, len, StandardCharsets.ISO_8859_1);
        }
    }

    private Request pick(long i) {
        if (requests.size() == 1) {
            return requests.get(0);
        }
        if (sequential) {
            return requests.get((int) i);
        }
        return requests.get(ThreadLocalRandom.current().nextInt(requests.size()));
    }

    /** Counts one outcome inside the measured window. */
    private void count(int status) {
        switch (status) {
            case TIMED_OUT -> timeouts.increment();
            case READ_ERROR -> readErrors.increment();
            case CONNECT_ERROR -> connectErrors.increment();
            default -> { }
        }
        if (status < 0) {
            return;
        }
        answered.increment();
        if (status >= 400) {
            non2xx.increment();
        }
        statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
    }

    private void run() throws InterruptedException {
        long t0 = System.nanoTime() + 20_000_000L;   // the threads get 20 ms to start before the first request is due
        long measureStart = t0 + warmupNs;
        long end = measureStart + durationNs;
        long hardStop = end + graceNs;
        double period = rate > 0 ? 1e9 / rate : 0;   // due(i) = t0 + i * period
        long lastSlot = sequential ? requests.size() : Long.MAX_VALUE;
        Stats[] stats = new Stats[connections];
        Thread[] threads = new Thread[connections];
        for (int c = 0; c < connections; c++) {
            Stats st = stats[c] = new Stats();
            threads[c] = new Thread(() -> {
                Connection conn = new Connection();
                try {
                    if (rate > 0) {
                        openLoop(conn, st, t0, measureStart, end, hardStop, period, lastSlot);
                    } else {
                        closedLoop(conn, st, t0, measureStart, end);
                    }
                } finally {
                    conn.close();
                }
            }, "rateload-" + c);
            threads[c].setDaemon(true);
            threads[c].start();
        }
        sleepUntil(measureStart);
        System.out.println("BENCH_MEASURE_START");
        System.out.flush();
        if (!sequential) {
            sleepUntil(end);
        } else {
            for (Thread th : threads) {
                th.join();
            }
        }
        long windowEnd = System.nanoTime();
        System.out.println("BENCH_MEASURE_END");
        System.out.flush();
        long joinBy = hardStop + TIMEOUT_MS * 1_000_000L + 2_000_000_000L;
        for (Thread th : threads) {
            long left = joinBy - System.nanoTime();
            if (left > 0) {
                th.join(Math.max(1, left / 1_000_000));
            }
        }
        report(stats, sequential ? windowEnd - measureStart : durationNs, t0, end);
    }

    private void openLoop(Connection conn, Stats st, long t0, long measureStart, long end, long hardStop,
                          double period, long lastSlot) {
        while (true) {
            long i = slot.getAndIncrement();
            if (i >= lastSlot) {
                return;
            }
            long due = t0 + (long) (i * period);
            if (due >= end && !sequential) {
                return;
            }
            long now = System.nanoTime();
            if (now < due) {
                parkUntil(due);
                now = System.nanoTime();
                // lateness of the generator itself: the connection was free, the request should have gone out at due
                if (due >= measureStart) {
                    st.lag((now - due) / 1000);
                }
            } else if (now >= hardStop) {
                // still unsent after the grace period: counted as timed out, its wait so far as a lower bound
                if (due >= measureStart) {
                    unsent.increment();
                    st.add((now - due) / 1000);
                }
                continue;
            }
            int status = conn.exchange(pick(i));
            long done = System.nanoTime();
            if (due >= measureStart) {
                // every request due in the window has a latency, failed ones too (up to their failure)
                st.add((done - due) / 1000);
                count(status);
            }
        }
    }

    private void closedLoop(Connection conn, Stats st, long t0, long measureStart, long end) {
        parkUntil(t0);
        long s;
        while ((s = System.nanoTime()) < end) {
            int status = conn.exchange(pick(0));
            long done = System.nanoTime();
            if (done >= measureStart && done < end) {
                if (status >= 0) {
                    st.add((done - s) / 1000);
                }
                count(status);
            }
        }
    }

    /** Parks until the deadline; the last 100 microseconds are spun, since a park may overshoot by about that. */
    private static void parkUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 100_000) {
            LockSupport.parkNanos(left - 100_000);
        }
        while (System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 200)));
        }
    }

    private static long pct(long[] sorted, int n, double p) {
        if (n == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, i))];
    }

    private void report(Stats[] stats, long windowNs, long t0, long end) {
        int total = 0;
        int lagTotal = 0;
        for (Stats s : stats) {
            total += s.count;
            lagTotal += s.lagCount;
        }
        long[] all = new long[total];
        long[] lags = new long[lagTotal];
        int pos = 0;
        int lpos = 0;
        for (Stats s : stats) {
            System.arraycopy(s.latencies, 0, all, pos, s.count);
            pos += s.count;
            System.arraycopy(s.lags, 0, lags, lpos, s.lagCount);
            lpos += s.lagCount;
        }
        Arrays.sort(all);
        Arrays.sort(lags);
        double mean = total == 0 ? 0 : Arrays.stream(all).average().orElse(0);
        StringBuilder st = new StringBuilder();
        for (Map.Entry<Integer, LongAdder> e : new java.util.TreeMap<>(statuses).entrySet()) {
            st.append(st.length() == 0 ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue().sum());
        }
        long ok = answered.sum() - non2xx.sum();
        long failed = non2xx.sum() + readErrors.sum() + connectErrors.sum() + timeouts.sum() + unsent.sum();
        double seconds = windowNs / 1e9;
        System.err.printf(Locale.ROOT, "rateload: %s rate %s: %d measured in %.1f s, %d ok (%.1f/s), p50 %.2f ms, p99 %.2f ms, "
                        + "p99.9 %.2f ms, %d failed (%d unsent), send lag p99 %.3f ms%n",
                label, rate > 0 ? String.format(Locale.ROOT, "%.1f/s", rate) : "closed", total, seconds, ok, ok / seconds,
                pct(all, total, 50) / 1e3, pct(all, total, 99) / 1e3, pct(all, total, 99.9) / 1e3, failed, unsent.sum(),
                pct(lags, lagTotal, 99) / 1e3);
        System.out.printf(Locale.ROOT,
                "BENCH_JSON {\"label\":\"%s\",\"duration_us\":%d,\"requests\":%d,\"bytes\":%d,"
                        + "\"non2xx\":%d,\"connect_errors\":%d,\"read_errors\":%d,\"write_errors\":0,\"timeouts\":%d,"
                        + "\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,\"mean_us\":%.1f,"
                        + "\"loadgen\":\"RateLoad.java\",\"model\":\"%s\",\"rate_intended\":%.3f,\"rate_achieved\":%.3f,"
                        + "\"connections\":%d,\"unsent\":%d,\"reconnects\":%d,\"send_lag_p50_us\":%d,\"send_lag_p99_us\":%d,"
                        + "\"send_lag_max_us\":%d,\"measured\":%d,\"statuses\":{%s}}%n",
                label.replace("\"", "'"), windowNs / 1000, answered.sum(), bytes.sum(), non2xx.sum(), connectErrors.sum(),
                readErrors.sum(), timeouts.sum() + unsent.sum(),
                pct(all, total, 50), pct(all, total, 90), pct(all, total, 99), pct(all, total, 99.9),
                total == 0 ? 0 : all[total - 1], mean, rate > 0 ? "open" : "closed", rate, ok / seconds, connections,
                unsent.sum(), reconnects.sum(), pct(lags, lagTotal, 50), pct(lags, lagTotal, 99),
                lagTotal == 0 ? 0 : lags[lagTotal - 1], total, st);
        System.out.flush();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                opt.put(args[i].substring(2), args[++i]);
            } else {
                System.err.println("rateload: unknown argument " + args[i]);
                System.exit(2);
            }
        }
        RateLoad load;
        try {
            load = new RateLoad(opt);
        } catch (IllegalArgumentException e) {
            System.err.println("rateload: " + e.getMessage());
            System.exit(2);
            return;
        }
        load.run();
        System.exit(0);
    }
}
