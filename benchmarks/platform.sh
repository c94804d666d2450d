#!/usr/bin/env bash
# Platform benchmark: Switchboard's HTTP server beside nginx in the same run, same wrk settings.
# Cheap answers only, so the numbers show the server stack, not the work: nginx serving a small
# static JSON file vs Switchboard's /health/live and a cached /fibonacci/30.
#   benchmarks/platform.sh [duration, default 10s] [connections, default 64]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
DURATION="${1:-10s}"
CONNECTIONS="${2:-64}"
WORK="$(mktemp -d)"
trap 'stop_nginx "$WORK"; kill "$SB_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

NGINX_PORT="$(free_port)"
SB_PORT="$(free_port)"
start_nginx "$WORK" "$NGINX_PORT"
echo '{"status":"UP"}' >"$WORK/www/hello.json"

"$ROOT/switchboard" --version >/dev/null
LOG_LEVEL=WARN "$ROOT/switchboard" serve --only compute --port "$SB_PORT" --host 127.0.0.1 2>"$WORK/serve.log" &
SB_PID=$!
wait_http "http://127.0.0.1:$SB_PORT/health/live"
curl -fsS -o /dev/null "http://127.0.0.1:$SB_PORT/fibonacci/30"
# Warm-up: let the JIT compile the request path before measuring.
wrk -t2 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$SB_PORT/health/live" >/dev/null

echo "wrk -t2 -c$CONNECTIONS -d$DURATION; server and wrk share this machine's $(nproc) cores"
wrk_line "nginx static JSON (1 worker)" "http://127.0.0.1:$NGINX_PORT/hello.json" -t2 -c"$CONNECTIONS" -d"$DURATION"
wrk_line "switchboard /health/live" "http://127.0.0.1:$SB_PORT/health/live" -t2 -c"$CONNECTIONS" -d"$DURATION"
wrk_line "switchboard /fibonacci/30 (cached)" "http://127.0.0.1:$SB_PORT/fibonacci/30" -t2 -c"$CONNECTIONS" -d"$DURATION"
echo "switchboard RSS: $(($(ps -o rss= -p "$(pgrep -f "switchboard.jar serve --only compute --port $SB_PORT")") / 1024)) MB"
