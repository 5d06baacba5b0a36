-- wrk script shared by every server and scenario.
-- Environment: BENCH_METHOD (POST|GET, default POST), BENCH_PATH (request path),
-- BENCH_BODY (form-encoded body for POST), BENCH_LABEL (echoed in the JSON line).
-- done() prints exactly one line starting with "BENCH_JSON " that bench/run parses.
local method = os.getenv("BENCH_METHOD") or "POST"
local path = os.getenv("BENCH_PATH") or "/"
local body = os.getenv("BENCH_BODY")
local label = os.getenv("BENCH_LABEL") or ""

wrk.method = method
wrk.path = path
if method == "POST" then
  wrk.body = body or ""
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
wrk.headers["Accept"] = "application/json"

-- No request() override: wrk then builds the request once (with its Host header)
-- and reuses it, which is the cheapest path for the load generator.

done = function(summary, latency, requests)
  local e = summary.errors
  -- wrk counts status >= 400 in errors.status (the "Non-2xx or 3xx responses" line).
  io.write(string.format(
    'BENCH_JSON {"label":"%s","duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"non2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    label, summary.duration, summary.requests, summary.bytes,
    e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
