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
#  5. JetStream against the in-process queue, same run (in-process, JetStream, in-process): round trip
#     of an empty task with one client, throughput with 64 in flight, and the CPU time per task of
#     serve with its workers and of nats-server during that run, 4 workers each time.
#  6. JetStream crash test: two serve instances on one queue, CRASH_TASKS tasks over 30 s sent to both
#     in turn (failing over when one is down), busy workers killed every 500 ms, instance A killed
#     with SIGKILL 8 s in and restarted.
#     5 and 6 need NATS with JetStream (NATS_URL, default nats://127.0.0.1:4222).
#
# Usage: benchmarks/distribute.sh [crash-task-count] [max-workers] [OUT]
#        SECTIONS="3 4" benchmarks/distribute.sh ...   runs only those parts (default: 1 2 3 4)
#        JAR=other/switchboard.jar SECTIONS=5 benchmarks/distribute.sh   measures another build
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
CRASH_TASKS="${1:-10000}"
MAX_WORKERS="${2:-64}"
OUT="${3:-$(mktemp -d)}"
mkdir -p "$OUT"
"$ROOT/switchboard" --version >/dev/null # builds the jar when sources changed
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p' "$ROOT/switchboard"); MIN_JAVA=25; find_jdk
JAR="${JAR:-$ROOT/app/target/switchboard.jar}" # JAR=… measures another build (e.g. the one before a change)
[ -f "$JAR" ] || { echo "distribute.sh: JAR=$JAR is not a file (it names the switchboard.jar of the build to measure)" >&2; exit 1; }
DRIVER=("$JAVA_HOME/bin/java" -cp "$JAR" "$ROOT/benchmarks/DistributeBenchmark.java")
SERVE_PID=""
cleanup() { [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

# start_serve WORKERS: serve --only distribute on a free port, waits until every worker is idle.
# (QUEUE=nats://… puts the tasks on JetStream; PORT_FIXED reuses a port, for a restart.) Runs the
# jar directly, with the flag the launcher adds, so that JAR may name another build.
start_serve() {
  PORT="${PORT_FIXED:-$(free_port)}"
  URL="http://127.0.0.1:$PORT"
  PORT="$PORT" DISTRIBUTE_WORKERS="$1" DISTRIBUTE_PYTHON_WORKERS=0 LOG_LEVEL=WARN DISTRIBUTE_WORKER_HEAP=64m \
    DISTRIBUTE_QUEUE="${QUEUE:-}" "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$JAR" serve --only distribute >>"$OUT/serve-$1.log" 2>&1 &
  SERVE_PID=$!
  wait_http "$URL/health/live"
  for _ in $(seq 1 1200); do
    idle="$(curl -s "$URL/distribute/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["idle_workers"])')"
    [ "${idle:-0}" -ge "$1" ] && return 0
    sleep 0.1
  done
  echo "workers did not all start" >&2; exit 1
}
stop_serve() { kill "$SERVE_PID"; wait "$SERVE_PID" || true; SERVE_PID=""; }
bench() { "$JAVA_HOME/bin/java" -jar "$JAR" bench "$@" 2>/dev/null | grep -E "^c=" | tail -1; }
# CPU time (user + system, clock ticks) of process $1 and its descendants: the worker processes
# are serve's children, and on a 2-core machine CPU per task is what tells where a task's cost is.
tree_ticks() {
  local total child
  total="$(awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0)"
  for child in $(pgrep -P "$1"); do total=$((total + $(tree_ticks "$child"))); done
  echo "$total"
}
nats_ticks() { local pid; pid="$(pgrep -x nats-server | head -1)"; [ -n "$pid" ] && tree_ticks "$pid" || echo 0; }
per_task() { awk -v ticks="$1" -v tasks="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (tasks > 0 ? ticks * 1e6 / hz / tasks : 0) }'; }
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

NATS_URL="${NATS_URL:-nats://127.0.0.1:4222}"
if want 5; then
echo "== 5. JetStream against the in-process queue, 4 workers (p50/p99 in ms)"
for queue in "" "$NATS_URL/bench$$" ""; do
  QUEUE="$queue" start_serve 4
  name="${queue:+JetStream}"; name="${name:-in-process}"
  bench --duration 10s --warmup 10s --concurrency 64 "${NOOP[@]}" "$URL/distribute/tasks?wait=10s" >/dev/null
  printf '%-12s %-24s %s\n' "$name" "round trip c=1" "$(bench --duration 10s --warmup 2s "${NOOP[@]}" "$URL/distribute/tasks?wait=10s")"
  # Already warm (the first run above): no warm-up here, so the CPU time read around it covers
  # exactly the tasks counted.
  before_serve="$(tree_ticks "$SERVE_PID")"; before_nats="$(nats_ticks)"
  line="$(bench --duration 10s --warmup 0 --concurrency 64 "${NOOP[@]}" "$URL/distribute/tasks?wait=10s")"
  after_serve="$(tree_ticks "$SERVE_PID")"; after_nats="$(nats_ticks)"
  printf '%-12s %-24s %s\n' "$name" "throughput c=64" "$line"
  tasks="$(awk '{gsub(",", "", $2); print $2}' <<<"$line")"
  printf '%-12s %-24s serve and its workers %s µs, nats-server %s µs (load average %s)\n' "$name" "CPU per task" \
    "$(per_task $((after_serve - before_serve)) "$tasks")" "$(per_task $((after_nats - before_nats)) "$tasks")" \
    "$(cut -d' ' -f1 /proc/loadavg)"
  stop_serve
  [ -n "$queue" ] && "${DRIVER[@]}" delete-namespace "$queue"
done
fi
if want 6; then
echo "== 6. JetStream crash test: $CRASH_TASKS tasks, two instances, workers killed, instance A restarted"
QUEUE="$NATS_URL/crash$$" start_serve 4; URL_A="$URL"; PID_A="$SERVE_PID"; PORT_A="$PORT"
QUEUE="$NATS_URL/crash$$" start_serve 4; URL_B="$URL"; PID_B="$SERVE_PID"
rm -f "$OUT/started"
( while [ ! -e "$OUT/started" ]; do sleep 0.2; done
  sleep 8; kill -9 "$PID_A"; echo "instance A killed (SIGKILL)" >&2
  sleep 2; PORT_FIXED="$PORT_A" QUEUE="$NATS_URL/crash$$" start_serve 4; echo "instance A restarted" >&2
  echo "$SERVE_PID" >"$OUT/restarted-a.pid" ) &
RESTARTER=$!
"${DRIVER[@]}" shared-crash "$URL_A" "$URL_B" "$CRASH_TASKS" "$OUT/started"
wait "$RESTARTER" || true
kill "$(cat "$OUT/restarted-a.pid")" "$PID_B" 2>/dev/null || true
wait 2>/dev/null || true
SERVE_PID=""
"${DRIVER[@]}" delete-namespace "$NATS_URL/crash$$"
fi
