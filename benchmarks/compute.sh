#!/usr/bin/env bash
# Compute benchmark: F(10^6), F(10^7), 10^5!, 10^6! as decimal text over HTTP, beside GMP
# (python3-gmpy2: compute + digits, in process) measured in the same run, alternating reference
# and Switchboard so drift shows. One server per engine (GMP through FFM, and apfloat), results
# cache off so every request computes. Best of N repeats.
#   benchmarks/compute.sh [repeats, default 3] [engines, default "gmp apfloat"]
#   (needs: apt-get install python3-gmpy2 libgmp10)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
REPEATS="${1:-3}"
ENGINES="${2:-gmp apfloat}"
WORK="$(mktemp -d)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

PYTHON="$(gmpy2_python)"
"$ROOT/switchboard" build >/dev/null 2>&1 || "$ROOT/switchboard" --version >/dev/null
ARGS=()
for engine in $ENGINES; do
  port="$(free_port)"
  LOG_LEVEL=WARN "$ROOT/switchboard" serve --only compute --host 127.0.0.1 --port "$port" \
    --compute-engine "$engine" --compute-cache-bytes 0 --compute-max-digits 6000000 >"$WORK/$engine.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$port/health/ready"
  ARGS+=("$engine=http://127.0.0.1:$port")
done

echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; best of $REPEATS, seconds, reference | switchboard | reference alternating"
"$PYTHON" "$ROOT/benchmarks/compute_http.py" "$REPEATS" "${ARGS[@]}" | "$PYTHON" -c '
import json, sys
engines = None
for line in sys.stdin:
    r = json.loads(line)
    if engines is None:
        engines = list(r["switchboard_s"])
        print("%-16s %10s %10s" % ("input", "digits", "GMP s") + "".join("%12s %7s" % (e + " s", "ratio") for e in engines))
    ref = min(r["reference_s"])
    cells = "".join("%12.4f %6.2fx" % (min(r["switchboard_s"][e]), min(r["switchboard_s"][e]) / ref) for e in engines)
    print("%-16s %10d %10.4f" % (r["row"], r["digits"], ref) + cells)
'
