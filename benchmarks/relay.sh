#!/usr/bin/env bash
# Relay benchmark beside nginx doing the same job, all in one run on 127.0.0.1:
#
#   wrk -> nginx origin                          (the origin itself: the machine's ceiling)
#   wrk -> nginx proxy_cache -> origin          (reference for cached hits)
#   wrk -> relay (memory cache) -> origin       (cached hits: the origin is called once)
#   wrk -> nginx proxy_pass, keepalive -> origin (reference for pass-through)
#   wrk -> relay (--relay-cache none) -> origin (pass-through: every request goes to the origin)
#
# Each round measures every target once, references and relays alternated, so drift shows between
# rounds. Besides requests/s and p50/p99 it prints the CPU time the serving process used per
# request (the relay's whole JVM, nginx's one worker), read from /proc: on a shared, loaded machine
# throughput follows the scheduler, while CPU per request is the work each one does. The relay
# runs with one event loop and nginx with one worker; wrk, nginx and the JVM share the cores.
#
# Usage: benchmarks/relay.sh [seconds per run (default 5)] [rounds (default 3)] [connections (default 32)]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
SECONDS_PER_RUN="${1:-5}"
ROUNDS="${2:-3}"
CONNECTIONS="${3:-32}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
WORK="$(mktemp -d)"
chmod 755 "$WORK" # nginx workers may run as another user
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for conf in origin proxy; do
    if [[ -f "$WORK/$conf.pid" ]]; then kill "$(cat "$WORK/$conf.pid")" 2>/dev/null || true; fi
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

ORIGIN_PORT="$(free_port)"
PROXY_PORT="$(free_port)"
CACHED_PORT="$(free_port)"
PLAIN_PORT="$(free_port)"

start_menu_origin_and_proxy "$ROOT" "$WORK" "$ORIGIN_PORT" "$PROXY_PORT"
BYTES="$(curl -s "http://127.0.0.1:$ORIGIN_PORT/api/restaurant" | wc -c)"

"$ROOT/switchboard" build >/dev/null 2>&1 || "$ROOT/switchboard" --version >/dev/null
start_relay() {
  LOG_LEVEL=WARN "$ROOT/switchboard" serve --host 127.0.0.1 --port "$1" --event-loops 1 --only relay \
    --relay-backend "http://127.0.0.1:$ORIGIN_PORT/api" --relay-cache "$2" >"$WORK/relay-$1.log" 2>&1 &
  PIDS+=($!)
}
start_relay "$CACHED_PORT" memory
start_relay "$PLAIN_PORT" none
wait_http "http://127.0.0.1:$CACHED_PORT/health/live"
wait_http "http://127.0.0.1:$PLAIN_PORT/health/live"

# The process that does the serving, for CPU time: the JVM listening on a port (the launcher execs
# java, so it is the pid started above), or nginx's worker (the child of the master in the pid file).
worker_of() { pgrep -P "$(cat "$1")" -f 'worker process' | head -1; }
declare -A URL=(
  [origin]="http://127.0.0.1:$ORIGIN_PORT/api/restaurant"
  [nginx-cache]="http://127.0.0.1:$PROXY_PORT/cached/restaurant"
  [relay-hit]="http://127.0.0.1:$CACHED_PORT/restaurant"
  [nginx-pass]="http://127.0.0.1:$PROXY_PORT/pass/restaurant"
  [relay-pass]="http://127.0.0.1:$PLAIN_PORT/restaurant"
)
declare -A PID=(
  [origin]="$(worker_of "$WORK/origin.pid")"
  [nginx-cache]="$(worker_of "$WORK/proxy.pid")"
  [relay-hit]="${PIDS[0]}"
  [nginx-pass]="$(worker_of "$WORK/proxy.pid")"
  [relay-pass]="${PIDS[1]}"
)
TICK_US=$((1000000 / $(getconf CLK_TCK)))
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure NAME: one wrk run; prints "NAME rps p50 p99 cpu_us_per_request load non2xx".
measure() {
  local name="$1" before after
  before="$(cpu_ticks "${PID[$name]}")"
  wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "${URL[$name]}" >"$WORK/wrk.txt"
  after="$(cpu_ticks "${PID[$name]}")"
  awk -v name="$name" -v ticks="$((after - before))" -v tick_us="$TICK_US" -v loadavg="$(cut -d' ' -f1 /proc/loadavg)" '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /requests in/ { n = $1 }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { errors = $NF }
    END { printf "%s %.0f %.2f %.2f %.1f %s %s\n", name, rps, p50, p99, ticks * tick_us / n, loadavg, (errors == "" ? 0 : errors) }
  ' "$WORK/wrk.txt"
}

# C2 needs tens of thousands of calls per path: a short warm-up measured the JIT, not the relay.
echo "== warming up the JVM (JIT) on both relays"
wrk -t1 -c"$CONNECTIONS" -d15s "${URL[relay-hit]}" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d15s "${URL[relay-pass]}" >/dev/null
curl -s -D - -o /dev/null "${URL[relay-hit]}" | grep -i '^x-cache' || true

echo "== measuring (${SECONDS_PER_RUN}s per run, $ROUNDS rounds, $CONNECTIONS connections, one wrk thread, body $BYTES bytes)"
printf '%-6s %-12s %9s %8s %8s %11s %6s %7s\n' round target req/s "p50 ms" "p99 ms" "cpu us/req" load non2xx
RESULTS="$WORK/results.txt"
for round in $(seq 1 "$ROUNDS"); do
  for name in origin nginx-cache relay-hit nginx-pass relay-pass; do
    line="$(measure "$name")"
    echo "$round $line" >>"$RESULTS"
    read -r n rps p50 p99 cpu load errors <<<"$line"
    printf '%-6s %-12s %9s %8s %8s %11s %6s %7s\n' "$round" "$n" "$rps" "$p50" "$p99" "$cpu" "$load" "$errors"
  done
done

python3 - "$RESULTS" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    rnd, name, rps, p50, p99, cpu, load, errors = line.split()
    rows.setdefault(name, []).append((float(rps), float(p99), float(cpu)))
med = lambda name, i: statistics.median(r[i] for r in rows[name])
print()
print("medians over the rounds; ratios of medians (each reference measured in the same rounds)")
for relay, ref, label in (("relay-hit", "nginx-cache", "cached hit / nginx proxy_cache"),
                          ("relay-pass", "nginx-pass", "pass-through / nginx proxy_pass")):
    print(f"{label:34s} throughput {med(relay, 0) / med(ref, 0):.2f}x   "
          f"p99 {med(relay, 1):.2f} vs {med(ref, 1):.2f} ms   "
          f"cpu/request {med(relay, 2):.1f} vs {med(ref, 2):.1f} us ({med(relay, 2) / med(ref, 2):.2f}x)")
PY
