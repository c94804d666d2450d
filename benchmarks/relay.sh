#!/usr/bin/env bash
# Relay benchmark beside nginx, all in one run on 127.0.0.1:
#
#   wrk -> nginx                    (reference: nginx serving the JSON file itself)
#   wrk -> relay (cache) -> nginx   (cached hits: the backend is called once)
#   wrk -> relay (no cache) -> nginx (pass-through: every request goes to nginx)
#
# Prints requests/s and p50/p99 latency of each and the ratios. The relay runs with one event
# loop and nginx with one worker, so the relay's numbers are per event-loop core; wrk, nginx and
# the JVM share the machine's cores, so absolute numbers are lower bounds.
#
# Usage: benchmarks/relay.sh [duration (default 10s)] [connections (default 32)]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
DURATION="${1:-10s}"
CONNECTIONS="${2:-32}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
WORK="$(mktemp -d)"
chmod 755 "$WORK" # nginx workers may run as another user
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [[ -f "$WORK/nginx.pid" ]]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT


NGINX_PORT="$(free_port)"
CACHED_PORT="$(free_port)"
PLAIN_PORT="$(free_port)"

# The same JSON the mock menu backend lists (its bundled data), served as a static file.
mkdir -p "$WORK/www/api"
python3 - "$ROOT/mock/src/main/resources/io/switchboard/mock/menu/menu.json" "$WORK/www/api/restaurant" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
for r in data["restaurants"]:
    r.pop("detail", None)
json.dump(data, open(sys.argv[2], "w"))
PY
cat >"$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location /api/ {
      root $WORK/www;
      default_type application/json;
      add_header Cache-Control "max-age=3600";
    }
  }
}
NGINX
"$NGINX" -c "$WORK/nginx.conf" -p "$WORK"
wait_http "http://127.0.0.1:$NGINX_PORT/api/restaurant"
BYTES="$(curl -s "http://127.0.0.1:$NGINX_PORT/api/restaurant" | wc -c)"

"$ROOT/switchboard" build >/dev/null 2>&1 || "$ROOT/switchboard" --version >/dev/null
start_relay() {
  LOG_LEVEL=WARN "$ROOT/switchboard" serve --host 127.0.0.1 --port "$1" --event-loops 1 --only relay \
    --relay-backend "http://127.0.0.1:$NGINX_PORT/api" --relay-cache "$2" >"$WORK/relay-$1.log" 2>&1 &
  PIDS+=($!)
}
start_relay "$CACHED_PORT" memory
start_relay "$PLAIN_PORT" none
wait_http "http://127.0.0.1:$CACHED_PORT/health/live"
wait_http "http://127.0.0.1:$PLAIN_PORT/health/live"

# Prints "requests/s p50_ms p99_ms" for one wrk run.
measure() {
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency "$1" >"$WORK/wrk.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { errors = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, (errors == "" ? 0 : errors) }
  ' "$WORK/wrk.txt"
}

# C2 needs tens of thousands of calls per path: a short warm-up measured the JIT, not the relay.
echo "== warming up the JVM (JIT) on both relays"
wrk -t1 -c"$CONNECTIONS" -d15s "http://127.0.0.1:$CACHED_PORT/restaurant" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d15s "http://127.0.0.1:$PLAIN_PORT/restaurant" >/dev/null
curl -s -D - -o /dev/null "http://127.0.0.1:$CACHED_PORT/restaurant" | grep -i '^x-cache' || true

echo "== measuring ($DURATION each, $CONNECTIONS connections, one wrk thread, body $BYTES bytes)"
read -r N_RPS N_P50 N_P99 N_ERR <<<"$(measure "http://127.0.0.1:$NGINX_PORT/api/restaurant")"
read -r H_RPS H_P50 H_P99 H_ERR <<<"$(measure "http://127.0.0.1:$CACHED_PORT/health/live")"
read -r C_RPS C_P50 C_P99 C_ERR <<<"$(measure "http://127.0.0.1:$CACHED_PORT/restaurant")"
read -r P_RPS P_P50 P_P99 P_ERR <<<"$(measure "http://127.0.0.1:$PLAIN_PORT/restaurant")"

printf '\n%-34s %10s %9s %9s %8s\n' "target" "req/s" "p50 ms" "p99 ms" "non-2xx"
printf '%-34s %10s %9s %9s %8s\n' "nginx direct (1 worker)" "$N_RPS" "$N_P50" "$N_P99" "$N_ERR"
printf '%-34s %10s %9s %9s %8s\n' "same JVM, platform /health/live" "$H_RPS" "$H_P50" "$H_P99" "$H_ERR"
printf '%-34s %10s %9s %9s %8s\n' "relay cached hit (1 event loop)" "$C_RPS" "$C_P50" "$C_P99" "$C_ERR"
printf '%-34s %10s %9s %9s %8s\n' "relay pass-through -> nginx" "$P_RPS" "$P_P50" "$P_P99" "$P_ERR"
python3 - "$N_RPS" "$C_RPS" "$P_RPS" "$N_P50" "$P_P50" "$N_P99" "$C_P99" "$P_P99" "$H_RPS" <<'PY'
import sys
n, c, p, n50, p50, n99, c99, p99, h = map(float, sys.argv[1:])
print()
print(f"cached-hit throughput / nginx direct:   {c / n:.2f}x   (p99 {c99:.2f} ms vs {n99:.2f} ms)")
print(f"pass-through throughput / nginx direct: {p / n:.2f}x   (p99 {p99:.2f} ms vs {n99:.2f} ms)")
print(f"pass-through overhead at p50:           +{p50 - n50:.2f} ms per request")
print(f"cached hits / pass-through:             {c / p:.1f}x")
print(f"cached hits / platform floor (health):  {c / h:.2f}x")
PY
