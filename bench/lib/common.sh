# Shared helpers for bench/run: logging, process lifecycle, /proc metrics, load generation.
# Sourced, not executed. Expects: WORK (scratch dir), BENCH_DIR, and the arrays declared below.

declare -ga STARTED_PIDS=()   # process-group leaders we started (setsid), stopped on exit

log()  { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
warn() { printf '[bench %s] WARNING: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die()  { printf '[bench %s] ERROR: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---------------------------------------------------------------- processes

# start_bg NAME LOGFILE CMD...: starts CMD in its own session (so its children can be stopped
# with it), stdout+stderr to LOGFILE; sets START_PID and records the start time in START_T0.
start_bg() {
  local name=$1 logfile=$2; shift 2
  START_T0=$(now)
  setsid "$@" >"$logfile" 2>&1 </dev/null &
  START_PID=$!
  STARTED_PIDS+=("$START_PID")
  log "started $name (pid $START_PID, log $logfile)"
}

# stop_pid PID: TERM the process group we started, KILL it after 15 s.
stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "pid $pid did not stop in 15 s, killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done
  STARTED_PIDS=()
}

# port_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_port_free() {
  port_free "$1" || die "port $1 on 127.0.0.1 is already in use; set another with the matching BENCH_*_PORT variable"
}

# wait_for_token NAME PID TIMEOUT_S CURL_ARGS...: polls a token request every POLL_INTERVAL s (0.05) until it
# returns 200. Prints the seconds since START_T0 on success; fails if the process dies, on timeout,
# or fast when the server is up but keeps refusing the request (4xx for ~5 s).
wait_for_token() {
  local name=$1 pid=$2 timeout=$3 t0=$START_T0; shift 3
  local deadline code refused=0 body="${WORK:-/tmp}/first-token.out"
  deadline=$(awk -v t="$(now)" -v d="$timeout" 'BEGIN { printf "%.0f", t + d }')
  while :; do
    code=$(curl -s -o "$body" -w '%{http_code}' --max-time 5 "$@" 2>/dev/null || true)
    if [[ $code == 200 ]]; then elapsed "$t0" "$(now)"; return 0; fi
    if [[ $code == 4?? ]]; then refused=$((refused + 1)); else refused=0; fi
    if ((refused >= 100)); then
      warn "$name is up but refuses the token request: HTTP $code $(head -c 300 "$body" 2>/dev/null)"
      return 1
    fi
    kill -0 "$pid" 2>/dev/null || { warn "$name exited before issuing a token"; return 1; }
    (( $(date +%s) < deadline )) || { warn "$name issued no token within ${timeout}s (last HTTP $code)"; return 1; }
    sleep "${POLL_INTERVAL:-0.05}"
  done
}

# ---------------------------------------------------------------- /proc metrics

# tree_pids PID: PID and all its descendants, one per line.
tree_pids() {
  local pid=$1 child
  echo "$pid"
  for child in $(pgrep -P "$pid" 2>/dev/null || true); do tree_pids "$child"; done
}

# cpu_ticks PIDS...: sum of utime+stime (clock ticks) over the given live processes.
cpu_ticks() {
  local pid total=0 rest fields
  for pid in "$@"; do
    rest=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    rest=${rest##*) }                 # drop "pid (comm) ", comm may contain spaces
    read -r -a fields <<<"$rest"
    total=$(( total + fields[11] + fields[12] ))   # utime, stime (fields 14 and 15 of stat)
  done
  echo "$total"
}

# rss_kb PIDS...: summed VmRSS in kB.
rss_kb() {
  local pid total=0 key val unit
  for pid in "$@"; do
    while read -r key val unit; do
      [[ $key == VmRSS: ]] && { total=$(( total + val )); break; }
    done <"/proc/$pid/status" 2>/dev/null || true
  done
  echo "$total"
}

# hwm_kb PIDS...: largest VmHWM (peak RSS since start) among the processes, in kB.
hwm_kb() {
  local pid max=0 key val unit
  for pid in "$@"; do
    while read -r key val unit; do
      [[ $key == VmHWM: ]] && { (( val > max )) && max=$val; break; }
    done <"/proc/$pid/status" 2>/dev/null || true
  done
  echo "$max"
}

# start_rss_sampler OUTFILE PIDS...: samples summed VmRSS every 0.25 s, keeps the maximum in
# OUTFILE. Sets SAMPLER_PID. Stop with stop_rss_sampler.
start_rss_sampler() {
  local out=$1; shift
  (
    max=0
    while :; do
      cur=$(rss_kb "$@")
      # written aside and renamed, so a reader (or a kill mid-write) never sees an empty file
      (( cur > max )) && { max=$cur; echo "$max" >"$out.tmp" && mv -f "$out.tmp" "$out"; }
      sleep 0.25
    done
  ) &
  SAMPLER_PID=$!
}

stop_rss_sampler() {
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
}

loadavg1() { cut -d' ' -f1 /proc/loadavg; }

# ---------------------------------------------------------------- load generation

# run_load URL METHOD PATH BODY DURATION_S LABEL: runs the load generator, prints one JSON line.
run_load() {
  local url=$1 method=$2 path=$3 body=$4 duration=$5 label=$6
  if [[ $LOADGEN == wrk ]]; then
    BENCH_METHOD=$method BENCH_PATH=$path BENCH_BODY=$body BENCH_LABEL=$label \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"${duration}s" --timeout 10s \
      -s "$BENCH_DIR/lua/request.lua" "$url" >"$WORK/wrk-last.txt" 2>&1 || true
    grep -m1 '^BENCH_JSON ' "$WORK/wrk-last.txt" | sed 's/^BENCH_JSON //' \
      || { warn "wrk produced no result:"; cat "$WORK/wrk-last.txt" >&2; return 1; }
  else
    java -cp "$WORK/loadgen" LoadGen "$url$path" "$method" "$body" "$CONNECTIONS" "$duration" "$label" \
      2>"$WORK/loadgen-last.txt" | grep -m1 '^BENCH_JSON ' | sed 's/^BENCH_JSON //' \
      || { warn "fallback load generator produced no result:"; cat "$WORK/loadgen-last.txt" >&2; return 1; }
  fi
}

# choose_loadgen ALLOW_INSTALL: sets LOADGEN to wrk, installing it with apt when allowed and
# possible, else to the bounded Java fallback (bench/fallback/LoadGen.java).
choose_loadgen() {
  local allow_install=$1
  local forced=${BENCH_LOADGEN:-}   # BENCH_LOADGEN=java forces the fallback (to test it)
  if [[ $forced != java && $allow_install == 1 ]] && ! command -v wrk >/dev/null 2>&1 \
     && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) == 0 ]]; then
    log "installing wrk with apt-get (update and install bounded to 120 s each)"
    { timeout 120 apt-get update -qq && timeout 120 apt-get install -y -qq wrk; } >"$WORK/apt-wrk.log" 2>&1 \
      || warn "could not install wrk (see $WORK/apt-wrk.log)"
  fi
  if [[ $forced != java ]] && command -v wrk >/dev/null 2>&1; then
    LOADGEN=wrk
  else
    command -v javac >/dev/null 2>&1 || die "neither wrk nor javac is available for load generation"
    warn "wrk is not available: using the bounded Java fallback load generator (results are not comparable with wrk's)"
    mkdir -p "$WORK/loadgen"
    javac -d "$WORK/loadgen" "$BENCH_DIR/fallback/LoadGen.java" || die "cannot compile the fallback load generator"
    LOADGEN=java-fallback
  fi
}
