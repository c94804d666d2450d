#!/usr/bin/env bash
# distribute benchmark (seed 000), everything on 127.0.0.1, bounded in time (about 5 minutes).
#
#  1. Round trip of an empty task (noop), one client waiting on each call, warm workers, beside the
#     same server's /health/live (the HTTP floor), measured before and after.
#  2. Throughput of empty tasks from one client (64 in flight) with 8 workers.
#  3. Crash test: COUNT short tasks while a busy worker is killed every 500 ms: none may be lost;
#     time to replace a worker.
#  4. Scaling: N = 1, 2, 4, ... 64 workers, 10·N tasks that sleep 1 s, against the ideal N tasks/s;
#     writes distribute-scaling.txt and distribute-scaling.png into OUT (default: a temp folder).
#
# Usage: benchmarks/distribute.sh [crash-task-count] [max-workers] [OUT]
#        SECTIONS="3 4" benchmarks/distribute.sh ...   runs only those parts
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
CRASH_TASKS="${1:-10000}"
MAX_WORKERS="${2:-64}"
OUT="${3:-$(mktemp -d)}"
mkdir -p "$OUT"
"$ROOT/switchboard" --version >/dev/null # builds the jar when sources changed
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p' "$ROOT/switchboard"); MIN_JAVA=25; find_jdk
JAR="$ROOT/app/target/switchboard.jar"
DRIVER=("$JAVA_HOME/bin/java" -cp "$JAR" "$ROOT/benchmarks/DistributeBenchmark.java")
SERVE_PID=""
cleanup() { [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# start_serve WORKERS: serve --only distribute on a free port, waits until every worker is idle.
start_serve() {
  PORT="$(free_port)"
  URL="http://127.0.0.1:$PORT"
  PORT="$PORT" DISTRIBUTE_WORKERS="$1" DISTRIBUTE_PYTHON_WORKERS=0 LOG_LEVEL=WARN DISTRIBUTE_WORKER_HEAP=64m \
    "$JAVA_HOME/bin/java" -jar "$JAR" serve --only distribute >"$OUT/serve-$1.log" 2>&1 &
  SERVE_PID=$!
  wait_http "$URL/health/live"
  for _ in $(seq 1 1200); do
    idle="$(curl -s "$URL/distribute/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["idle_workers"])')"
    [ "$idle" = "$1" ] && return 0
    sleep 0.1
  done
  echo "workers did not all start" >&2; exit 1
}
stop_serve() { kill "$SERVE_PID"; wait "$SERVE_PID" || true; SERVE_PID=""; }
bench() { "$JAVA_HOME/bin/java" -jar "$JAR" bench "$@" 2>/dev/null | grep -E "^c=" | tail -1; }
want() { [[ " ${SECTIONS:-1 2 3 4} " == *" $1 "* ]]; }
NOOP=(--method POST --body '{"function":"noop"}' -H 'Content-Type: application/json')

if want 1 || want 2 || want 3; then start_serve 8; fi
if want 1; then
echo "== 1. round trip, one client, 8 warm workers (p50/p99 in ms)"
bench --duration 5s --warmup 5s "${NOOP[@]}" "$URL/distribute/tasks?wait=10s" >/dev/null # warm-up of workers' JIT
printf '%-34s %s\n' "reference GET /health/live" "$(bench --duration 5s --warmup 2s "$URL/health/live")"
printf '%-34s %s\n' "POST noop ?wait (round trip)" "$(bench --duration 10s --warmup 2s "${NOOP[@]}" "$URL/distribute/tasks?wait=10s")"
printf '%-34s %s\n' "reference GET /health/live" "$(bench --duration 5s --warmup 2s "$URL/health/live")"

fi
if want 2; then
echo "== 2. throughput, one client with 64 in flight, 8 workers"
printf '%-34s %s\n' "reference GET /health/live c=64" "$(bench --duration 5s --warmup 2s --concurrency 64 "$URL/health/live")"
printf '%-34s %s\n' "POST noop ?wait c=64" "$(bench --duration 10s --warmup 20s --concurrency 64 "${NOOP[@]}" "$URL/distribute/tasks?wait=10s")"
curl -s "$URL/distribute/workers" | python3 -c '
import json, sys
ws = json.load(sys.stdin)["workers"]
print("allocation:", ", ".join("%s %d tasks %.1fs busy" % (w["id"], w["tasks_completed"], w["busy_seconds"]) for w in ws))'

"${DRIVER[@]}" client "$URL" 10S
fi
if want 3; then
echo "== 3. crash test: $CRASH_TASKS tasks of 10 ms, a busy worker killed every 500 ms"
"${DRIVER[@]}" crash "$URL" "$CRASH_TASKS" 8
fi
if [ -n "$SERVE_PID" ]; then stop_serve; fi
if want 4; then
echo "== 4. scaling: 10·N tasks of 1 s on N workers"
: >"$OUT/distribute-scaling.txt"
n=1
while [ "$n" -le "$MAX_WORKERS" ]; do
  start_serve "$n"
  "${DRIVER[@]}" scaling "$URL" "$n" | tee -a "$OUT/distribute-scaling.txt"
  stop_serve
  n=$((n * 2))
done
echo "(columns: workers tasks seconds tasks/s ideal ratio)"
"${DRIVER[@]}" chart "$OUT/distribute-scaling.txt" "$OUT/distribute-scaling.png"
fi
