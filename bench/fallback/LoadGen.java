import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded fallback load generator, used by bench/run only when wrk cannot be installed.
 * Closed loop: CONNECTIONS threads each send one request at a time for DURATION seconds.
 * Prints one line "BENCH_JSON {...}" with the same fields as bench/lua/request.lua.
 * Usage: java LoadGen URL METHOD BODY CONNECTIONS DURATION_S LABEL
 */
public final class LoadGen {
  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    String method = args[1];
    String body = args[2];
    int connections = Integer.parseInt(args[3]);
    long durationNanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
    String label = args.length > 5 ? args[5] : "";

    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Accept", "application/json");
    HttpRequest request = "POST".equals(method)
        ? rb.header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build()
        : rb.GET().build();

    AtomicLong non2xx = new AtomicLong(), errors = new AtomicLong(), bytes = new AtomicLong();
    List<long[]> perThread = new ArrayList<>();
    int[] counts = new int[connections];
    Thread[] threads = new Thread[connections];
    long start = System.nanoTime();
    long end = start + durationNanos;
    for (int t = 0; t < connections; t++) {
      long[] lat = new long[1 << 20];
      perThread.add(lat);
      final int idx = t;
      threads[t] = new Thread(() -> {
        int n = 0;
        while (System.nanoTime() < end && n < lat.length) {
          long s = System.nanoTime();
          try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            bytes.addAndGet(r.body().length);
            if (r.statusCode() >= 400) non2xx.incrementAndGet();
          } catch (Exception e) {
            errors.incrementAndGet();
          }
          lat[n++] = (System.nanoTime() - s) / 1000;
        }
        counts[idx] = n;
      });
      threads[t].start();
    }
    for (Thread th : threads) th.join();
    long durationUs = (System.nanoTime() - start) / 1000;

    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int pos = 0;
    for (int t = 0; t < connections; t++) {
      System.arraycopy(perThread.get(t), 0, all, pos, counts[t]);
      pos += counts[t];
    }
    Arrays.sort(all);
    double mean = total == 0 ? 0 : Arrays.stream(all).average().orElse(0);
    System.out.printf(java.util.Locale.ROOT,
        "BENCH_JSON {\"label\":\"%s\",\"duration_us\":%d,\"requests\":%d,\"bytes\":%d,"
            + "\"non2xx\":%d,\"connect_errors\":0,\"read_errors\":%d,\"write_errors\":0,\"timeouts\":0,"
            + "\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,\"mean_us\":%.1f,"
            + "\"loadgen\":\"java-fallback\"}%n",
        label, durationUs, total, bytes.get(), non2xx.get(), errors.get(),
        pct(all, 50), pct(all, 90), pct(all, 99), pct(all, 99.9), total == 0 ? 0 : all[total - 1], mean);
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
