#!/usr/bin/env bash
# The performance table of issue 12, every row measured in one run on 127.0.0.1, each reference
# measured before and after Switchboard (reference, Switchboard, reference) so drift shows:
#
#   relay cached hit       wrk -> relay (memory cache) -> nginx origin  |  wrk -> nginx proxy_cache -> origin
#   relay pass-through     wrk -> relay (--relay-cache none) -> origin  |  wrk -> nginx proxy_pass (keepalive) -> origin
#   compute F(10^6) ...    GET as text over HTTP (GMP engine)           |  gmpy2: compute + digits, in process
#   bench 5 s / 15 s       switchboard bench -c32 on nginx              |  wrk -t1 -c32 on the same nginx
#
# wrk -t1 -c32, LOG_LEVEL=WARN, nginx with one worker, the relay with one event loop, the origin
# sends Cache-Control: max-age. Prints the table and writes it, with the machine's state and the
# commit, to benchmarks/history/<UTC time>.md (the repo's benchmark history; commit it to compare).
#
#   benchmarks/performance.sh [seconds per wrk run, default 10] [compute repeats, default 3]
#   (needs: apt-get install wrk nginx python3-gmpy2 libgmp10)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
SECONDS_PER_RUN="${1:-10}"
REPEATS="${2:-3}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
command -v wrk >/dev/null || { echo "performance: wrk is not installed" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "performance: nginx not found (set NGINX=/path/to/nginx)" >&2; exit 1; }
PYTHON="$(gmpy2_python)"
WORK="$(mktemp -d)"
chmod 755 "$WORK" # nginx workers may run as another user
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for conf in origin proxy; do
    [ -f "$WORK/$conf.pid" ] && kill "$(cat "$WORK/$conf.pid")" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
export LOG_LEVEL=WARN
ROWS="$WORK/rows.tsv"
: >"$ROWS"

"$ROOT/switchboard" build >/dev/null 2>&1 || "$ROOT/switchboard" --version >/dev/null
"$ROOT/switchboard" --version >/dev/null # writes the AOT cache if the build did not

ORIGIN_PORT="$(free_port)"
PROXY_PORT="$(free_port)"
CACHED_PORT="$(free_port)"
PLAIN_PORT="$(free_port)"
COMPUTE_PORT="$(free_port)"

# The origin (the menu JSON the mock lists, with a freshness lifetime) and the nginx reference proxy.
start_menu_origin_and_proxy "$ROOT" "$WORK" "$ORIGIN_PORT" "$PROXY_PORT"

start_relay() {
  "$ROOT/switchboard" serve --host 127.0.0.1 --port "$1" --event-loops 1 --only relay \
    --relay-backend "http://127.0.0.1:$ORIGIN_PORT/api" --relay-cache "$2" >"$WORK/relay-$1.log" 2>&1 &
  PIDS+=($!)
}
start_relay "$CACHED_PORT" memory
start_relay "$PLAIN_PORT" none
"$ROOT/switchboard" serve --host 127.0.0.1 --port "$COMPUTE_PORT" --only compute --compute-engine auto \
  --compute-cache-bytes 0 --compute-max-digits 6000000 >"$WORK/compute.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$CACHED_PORT/health/ready"
wait_http "http://127.0.0.1:$PLAIN_PORT/health/ready"
wait_http "http://127.0.0.1:$COMPUTE_PORT/health/ready"
ENGINE="$(curl -fs "http://127.0.0.1:$COMPUTE_PORT/health/ready" | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin)["details"]["compute"]; print(d["engine"], d["engine_version"])')"

# wrk_run URL: prints "requests/s p99_ms".
wrk_run() {
  wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" --latency "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.2f\n", rps, p99 }'
}

# row NAME GOAL SB_URL REF_NAME REF_URL: reference, Switchboard, reference, with wrk.
wrk_row() {
  local name="$1" goal="$2" sb="$3" ref_name="$4" ref="$5" r1 s r2
  echo "measuring: $name" >&2
  r1="$(wrk_run "$ref")"
  s="$(wrk_run "$sb")"
  r2="$(wrk_run "$ref")"
  printf 'rps\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$s" "$r1" "$r2" "$ref_name" "$goal" >>"$ROWS"
}

# C2 needs tens of thousands of calls per path; the AOT cache shortens that but does not remove it.
echo "warming up both relays ($SECONDS_PER_RUN s each)" >&2
wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" "http://127.0.0.1:$CACHED_PORT/restaurant" >/dev/null
wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" "http://127.0.0.1:$PLAIN_PORT/restaurant" >/dev/null

wrk_row "relay, cached hit" "≥ 1.0×" "http://127.0.0.1:$CACHED_PORT/restaurant" \
  "nginx proxy_cache hit" "http://127.0.0.1:$PROXY_PORT/cached/restaurant"
wrk_row "relay, pass-through (--relay-cache none)" "≥ 0.9×, p99 ≤ nginx + 1 ms" "http://127.0.0.1:$PLAIN_PORT/restaurant" \
  "nginx proxy_pass (keepalive upstream)" "http://127.0.0.1:$PROXY_PORT/pass/restaurant"

echo "measuring: compute" >&2
"$PYTHON" "$ROOT/benchmarks/compute_http.py" "$REPEATS" "${ENGINE%% *}=http://127.0.0.1:$COMPUTE_PORT" 2>/dev/null \
  | "$PYTHON" -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    times = next(iter(r["switchboard_s"].values()))
    refs = r["reference_s"]
    print("time\t%s\t%.4f\t%.4f\t%.4f\tGMP (gmpy2.%s + digits)\t≤ 1.3×" % (
        r["row"], min(times), min(refs[: len(refs) // 2] or refs), min(refs[len(refs) // 2 :]),
        "fib" if "F(" in r["row"] else "fac"))
' >>"$ROWS"

# bench_row SECONDS GOAL: wrk, switchboard bench (default warm-up), wrk, on nginx serving the origin file.
bench_row() {
  local seconds="$1" goal="$2" url="http://127.0.0.1:$ORIGIN_PORT/api/restaurant" r1 s r2 out
  echo "measuring: bench ${seconds}s" >&2
  r1="$(wrk -t1 -c32 -d"${seconds}s" "$url" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
  out="$("$ROOT/switchboard" bench --concurrency 32 --duration "${seconds}s" "$url" 2>/dev/null)"
  s="$(echo "$out" | awk '$1 == "c=32" {gsub(",", "", $3); print $3}')"
  WARMUP_LINE="$(echo "$out" | grep '^warm-up' || true)"
  r2="$(wrk -t1 -c32 -d"${seconds}s" "$url" | awk '/Requests\/sec/ {printf "%.0f", $2}')"
  printf 'rps\t%s\t%s -\t%s -\t%s -\twrk -t1 -c32\t%s\n' "\`bench\` on nginx, ${seconds} s run, c=32" "$s" "$r1" "$r2" "$goal" >>"$ROWS"
  [ -n "$WARMUP_LINE" ] && printf 'note\t%s: %s\n' "bench ${seconds} s" "$WARMUP_LINE" >>"$ROWS"
  return 0
}
bench_row 5 "≥ 0.9×"
bench_row 15 "≥ 0.95×"

STAMP="$(date -u +%Y-%m-%dT%H-%M-%SZ)"
mkdir -p "$ROOT/benchmarks/history"
OUT="$ROOT/benchmarks/history/$STAMP.md"
{
  echo "# Performance table, $STAMP"
  echo
  echo "- commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "- $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $("$ROOT/switchboard" --version 2>/dev/null); compute engine $ENGINE"
  echo "- wrk -t1 -c32 -d${SECONDS_PER_RUN}s, LOG_LEVEL=WARN, nginx 1 worker, relay 1 event loop; compute best of $REPEATS (×5 for the small inputs); references measured before and after (compute: best of the first and of the second half of the run)"
  echo
  "$PYTHON" - "$ROWS" <<'PY'
import sys
print("| path | Switchboard | reference, same run (before / after) | ratio | goal |")
print("|---|---|---|---|---|")
notes = []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[0] == "note":
        notes.append(f[1])
        continue
    kind, name, sb, r1, r2, ref_name, goal = f
    if kind == "rps":
        sb_rps, sb_p99 = sb.split()
        r1_rps, r1_p99 = r1.split()
        r2_rps, r2_p99 = r2.split()
        ref_mean = (float(r1_rps) + float(r2_rps)) / 2
        p99 = lambda v: "" if v == "-" else f", p99 {float(v):.1f} ms"
        print(f"| {name} | {float(sb_rps)/1000:.1f}k req/s{p99(sb_p99)} | {ref_name} {float(r1_rps)/1000:.1f}k{p99(r1_p99)} / {float(r2_rps)/1000:.1f}k{p99(r2_p99)} | {float(sb_rps)/ref_mean:.2f}× | {goal} |")
    else:
        ref = min(float(r1), float(r2))
        print(f"| {name} over HTTP, digits as text | {float(sb):.3f} s | {ref_name} {float(r1):.3f} / {float(r2):.3f} s | {float(sb)/ref:.2f}× | {goal} |")
if notes:
    print()
    for note in notes:
        print(f"- {note}")
PY
} >"$OUT"
cat "$OUT"
echo
echo "written to benchmarks/history/$STAMP.md"
