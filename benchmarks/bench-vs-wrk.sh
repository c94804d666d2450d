#!/usr/bin/env bash
# Measures `switchboard bench` against wrk on the same target in the same run: nginx (one worker,
# own config in a temp dir, a free loopback port) serving a small static file.
#
#   benchmarks/bench-vs-wrk.sh [DURATION] [CONNECTIONS]     defaults: 10s 32
#   WARMUP=20s benchmarks/bench-vs-wrk.sh                  unmeasured warm-up of bench (default 10s)
#   WRK_THREADS=2 benchmarks/bench-vs-wrk.sh               wrk's threads (default 1, as in the issue's table)
#
# Order: wrk, switchboard bench, wrk again, so the spread between the two wrk runs shows how
# steady the machine was. bench gets an unmeasured warm-up first: a JVM needs its JIT to have
# compiled the request path (seconds on a quiet machine, tens of seconds on a loaded one).
# Prints the throughputs side by side, and each tool's CPU time per request (user + system, of
# the whole process, from /proc), which a noisy machine disturbs far less than throughput: for
# bench it covers its whole life (JVM start, warm-up, report) over all its requests (warm-up
# included). Runs only against 127.0.0.1. Needs wrk and nginx (Debian: apt-get install wrk
# nginx-light).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-10s}"
CONNECTIONS="${2:-32}"
WRK_THREADS="${WRK_THREADS:-1}"
WARMUP="${WARMUP:-10s}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
command -v wrk >/dev/null || { echo "bench-vs-wrk: wrk is not installed" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "bench-vs-wrk: nginx not found (set NGINX=/path/to/nginx)" >&2; exit 1; }

WORK="$(mktemp -d)"
chmod 755 "$WORK" # nginx workers run as an unprivileged user and must read the files
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
cleanup() {
  if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/html" "$WORK/logs"
printf 'hello from nginx\n' >"$WORK/html/index.html"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/tmp_body;
  proxy_temp_path $WORK/tmp_proxy;
  fastcgi_temp_path $WORK/tmp_fastcgi;
  uwsgi_temp_path $WORK/tmp_uwsgi;
  scgi_temp_path $WORK/tmp_scgi;
  server {
    listen 127.0.0.1:$PORT;
    root $WORK/html;
  }
}
CONF
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf"
URL="http://127.0.0.1:$PORT/index.html"
for _ in $(seq 50); do curl -fs "$URL" >/dev/null 2>&1 && break; sleep 0.1; done

"$ROOT/switchboard" build >/dev/null 2>&1 || "$ROOT/switchboard" --version >/dev/null

# Runs "$@" in a subshell and prints, after its output, "cpu SECONDS": the CPU time (user +
# system) of the children it waited for, from /proc (fields cutime and cstime).
with_cpu() {
  (
    "$@"
    awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print "cpu", ($14 + $15) / hz}' "/proc/$BASHPID/stat"
  )
}

# Prints microseconds of CPU per request.
per_request() {
  awk -v cpu="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", cpu * 1e6 / n; else print "-" }'
}

run_wrk() {
  echo "== wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION $URL" >&2
  local out
  out="$(with_cpu wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$URL")"
  echo "$out" >&2
  local rps requests cpu
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  requests="$(echo "$out" | awk '/requests in/ {print $1}')"
  cpu="$(echo "$out" | awk '$1 == "cpu" {print $2}')"
  echo "$rps $(per_request "$cpu" "$requests")"
}

read -r WRK_RPS_1 WRK_CPU_1 < <(run_wrk)
echo >&2
echo "== switchboard bench --concurrency $CONNECTIONS --duration $DURATION --warmup $WARMUP $URL" >&2
BENCH_OUT="$(with_cpu "$ROOT/switchboard" bench --concurrency "$CONNECTIONS" --duration "$DURATION" --warmup "$WARMUP" "$URL" 2>/dev/null)"
echo "$BENCH_OUT" >&2
BENCH_RPS="$(echo "$BENCH_OUT" | awk -v c="c=$CONNECTIONS" '$1 == c {gsub(",", "", $3); print $3}')"
# Requests of the measured step and of the warm-up ("warm-up before c=32 (...): 5.0 s, 85,890 requests, ...").
BENCH_REQUESTS="$(echo "$BENCH_OUT" | awk -v c="c=$CONNECTIONS" '
  $1 == c {gsub(",", "", $2); n += $2}
  /^warm-up before/ {for (i = 1; i < NF; i++) if ($(i + 1) ~ /^requests/) {gsub(",", "", $i); n += $i}}
  END {print n + 0}')"
BENCH_CPU="$(per_request "$(echo "$BENCH_OUT" | awk '$1 == "cpu" {print $2}')" "$BENCH_REQUESTS")"
echo >&2
read -r WRK_RPS_2 WRK_CPU_2 < <(run_wrk)
echo >&2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "throughput (req/s): wrk $WRK_RPS_1   switchboard bench $BENCH_RPS   wrk again $WRK_RPS_2"
echo "CPU per request (us): wrk $WRK_CPU_1   switchboard bench $BENCH_CPU (whole process, warm-up included)   wrk again $WRK_CPU_2"
