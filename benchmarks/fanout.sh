#!/usr/bin/env bash
# Fan-out benchmark (seed 001), everything on 127.0.0.1, bounded in time (about 2 minutes).
#
#  1. Long tail: the work mock is scripted so that 90% of answers take 50 ms and 10% take 1000 ms.
#     Measures p50/p90/p99 of calling the backend once (the reference) and of /api/smart (hedged
#     after 300 ms), in the same run, with the same script.
#  2. Sweep: with a fast backend (every answer 50 ms, as the seed's README recommends), response
#     time of /api/smart against the number of concurrent clients, as the seed's benchmark plotted.
#
# Usage: benchmarks/fanout.sh [seconds-per-step]   (needs wrk and python3)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
STEP_SECONDS="${1:-8}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 150); do
    if curl -fs "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "server on port $1 did not become ready" >&2
  exit 1
}

# Writes a scenario of N entries: a share of slow answers, in a fixed pseudo-random order.
scenario() { # n slow_share fast_ms slow_ms
  python3 - "$@" <<'PY'
import json, random, sys
n, share, fast, slow = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(1)
entries = []
for _ in range(n):
    delay = slow if rng.random() < share else fast
    entries.append(['{"time": %d}' % delay, 200, delay])
print(json.dumps(entries))
PY
}

set_scenario() { # file
  local answer
  answer="$(curl -fs -X POST --data-binary "@$1" "http://127.0.0.1:$MOCK_PORT/setscenario")"
  [ "$answer" = "OK" ] || { echo "setscenario answered '$answer'" >&2; exit 1; }
}

# Runs wrk and prints: requests/s p50 p90 p99 non-2xx
measure() { # connections url
  local threads=2
  [ "$1" -lt 2 ] && threads=1
  wrk -t"$threads" -c"$1" -d"${STEP_SECONDS}s" --timeout 10s --latency "$2" > "$WORK/wrk.txt"
  awk '
    /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
    /Requests\/sec/ {rps=$2} /Non-2xx/ {bad=$NF}
    END {printf "%10s %10s %10s %10s %8s\n", rps, p50, p90, p99, (bad==""?0:bad)}' "$WORK/wrk.txt"
}

echo "building..." >&2
"$ROOT/switchboard" build

# No per-request access log lines: the benchmark measures the fan-out, not the log pipeline.
export LOG_LEVEL=WARN
MOCK_PORT="$(free_port)"
APP_PORT="$(free_port)"
"$ROOT/switchboard" mock --port "$MOCK_PORT" --work-error-share 0 --work-invalid-share 0 --work-hang-share 0 \
  >"$WORK/mock.log" 2>&1 &
PIDS+=($!)
"$ROOT/switchboard" serve --only fanout --host 127.0.0.1 --port "$APP_PORT" --data-dir "$WORK/data" \
  --remote-url "http://127.0.0.1:$MOCK_PORT/api/work" --requests-limit 1000 >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
wait_ready "$MOCK_PORT"
wait_ready "$APP_PORT"

scenario 200000 0.10 50 1000 > "$WORK/longtail.json"
scenario 300000 0 50 50 > "$WORK/fast.json"

# Warm-up, not reported: JIT of every path measured below (hedges, resets) and connection pools.
set_scenario "$WORK/longtail.json"
for path in "$APP_PORT/api/smart" "$APP_PORT/api/first" "$MOCK_PORT/api/work"; do
  wrk -t2 -c20 -d4s "http://127.0.0.1:$path?timeout=2000" >/dev/null
done

echo
echo "machine load before measuring: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (numbers below are only comparable within this run)"
echo
echo "== Long tail: 90% of backend answers in 50 ms, 10% in 1000 ms; 20 concurrent clients, ${STEP_SECONDS}s each"
printf "%-32s %10s %10s %10s %10s %8s\n" "target" "req/s" "p50" "p90" "p99" "non-2xx"
set_scenario "$WORK/longtail.json"
printf "%-32s " "backend once (reference)"; measure 20 "http://127.0.0.1:$MOCK_PORT/api/work"
set_scenario "$WORK/longtail.json"
printf "%-32s " "/api/smart (hedge at 300 ms)"; measure 20 "http://127.0.0.1:$APP_PORT/api/smart?timeout=2000"
set_scenario "$WORK/longtail.json"
printf "%-32s " "backend once (reference, again)"; measure 20 "http://127.0.0.1:$MOCK_PORT/api/work"
set_scenario "$WORK/longtail.json"
printf "%-32s " "/api/first (3 at once)"; measure 20 "http://127.0.0.1:$APP_PORT/api/first?timeout=2000"
echo "hedges fired / attempts:" \
  "$(curl -fs "http://127.0.0.1:$APP_PORT/metrics" | grep -E '^switchboard_fanout_(hedges_total|attempts_(sum|count))\{.*endpoint="smart"' | awk '{print $NF}' | paste -sd' ')" \
  "(attempts_count attempts_sum hedges; cumulative including warm-up)"

echo
echo "== Sweep: every backend answer in 50 ms; /api/smart?timeout=2000 against concurrent clients, ${STEP_SECONDS}s each"
printf "%-32s %10s %10s %10s %10s %8s\n" "concurrency" "req/s" "p50" "p90" "p99" "non-2xx"
for c in 1 10 25 50 100 200; do
  set_scenario "$WORK/fast.json"
  printf "%-32s " "$c"; measure "$c" "http://127.0.0.1:$APP_PORT/api/smart?timeout=2000"
done
set_scenario "$WORK/fast.json"
printf "%-32s " "backend once, c=100 (reference)"; measure 100 "http://127.0.0.1:$MOCK_PORT/api/work"

echo
echo "leak check after the run: $(curl -fs "http://127.0.0.1:$APP_PORT/metrics" | grep -E '^switchboard_fanout_(backend_in_flight|timers_pending)' | sed 's/{[^}]*}//' | paste -sd' ')"
