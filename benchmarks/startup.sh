#!/usr/bin/env bash
# Start-up benchmark: time from launching `serve` (all services, embedded defaults) to its first
# 200 on /health/ready, and the throughput of its first 10,000 requests (hey -n 10000 -c 32 on a
# cached compute answer, then on the relay's cached hit), without and with the AOT cache
# (app/target/switchboard.aot, made by the build's training run), alternating so drift shows.
#   benchmarks/startup.sh [rounds, default 3]      (needs: apt-get install hey)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
ROUNDS="${1:-3}"
JAR="$ROOT/app/target/switchboard.jar"
AOT="$ROOT/app/target/switchboard.aot"
command -v hey >/dev/null || { echo "startup: hey is not installed (apt-get install hey)" >&2; exit 1; }
"$ROOT/switchboard" build >/dev/null 2>&1 || "$ROOT/switchboard" --version >/dev/null
source <(sed -n '/^java_major()/,/^}/p;/^find_jdk()/,/^}/p' "$ROOT/switchboard"); MIN_JAVA=25; find_jdk
[ -f "$AOT" ] || { echo "startup: $AOT is missing; build with the training run first" >&2; exit 1; }
WORK="$(mktemp -d)"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

# cpu_ms PID: CPU time (user + system) the process has used so far, in ms.
cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"
}

# run VARIANT: one start; prints "ready_ms ready_cpu_ms compute_rps relay_rps".
run() {
  # The launcher's flags (see switchboard), so that the AOT cache matches how it was trained.
  local flags=(-XX:+UseG1GC -XX:+ExitOnOutOfMemoryError --sun-misc-unsafe-memory-access=allow)
  [ "$1" = aot ] && flags+=("-XX:AOTCache=$AOT")
  local port
  port="$(free_port)"
  rm -rf "$WORK/data"
  local start end
  start="$(date +%s%N)"
  LOG_LEVEL=WARN exec "$JAVA_HOME/bin/java" "${flags[@]}" -jar "$JAR" serve --host 127.0.0.1 --port "$port" \
    --data-dir "$WORK/data" >"$WORK/serve-$1.log" 2>&1 &
  PID=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null; do
    kill -0 "$PID" 2>/dev/null || { echo "serve exited:" >&2; tail -5 "$WORK/serve-$1.log" >&2; exit 1; }
    sleep 0.01
  done
  end="$(date +%s%N)"
  local cpu compute relay
  cpu="$(cpu_ms "$PID")"
  compute="$(hey -n 10000 -c 32 "http://127.0.0.1:$port/fibonacci/1000" | awk '/Requests\/sec/ {print $2}')"
  relay="$(hey -n 10000 -c 32 "http://127.0.0.1:$port/restaurant" | awk '/Requests\/sec/ {print $2}')"
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
  echo "$(((end - start) / 1000000)) $cpu $compute $relay"
}

echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $(basename "$JAVA_HOME"); AOT cache $(du -m "$AOT" | cut -f1) MB"
printf '%-6s %-8s %10s %14s %22s %20s\n' round variant "ready ms" "CPU ms to ready" "first 10k compute r/s" "first 10k relay r/s"
for round in $(seq 1 "$ROUNDS"); do
  for variant in jit aot; do
    read -r ready cpu compute relay <<<"$(run "$variant")"
    printf '%-6s %-8s %10s %14s %22.0f %20.0f\n' "$round" "$variant" "$ready" "$cpu" "$compute" "$relay"
  done
done
