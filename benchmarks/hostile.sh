#!/usr/bin/env bash
# The hostile HTTP test of issue 14: starts `switchboard serve` (every service, embedded defaults,
# loopback, a fresh data directory and an eye key) and runs benchmarks/hostile.py against it: long
# URLs, many and huge headers, huge and slow bodies, slow-header clients, 1,000 idle connections,
# pipelining, clients that leave mid-answer; then /health/ready must answer within 100 ms, RSS stay
# below RSS_LIMIT_MB (default 1024) and eye return every event it acknowledged. Exit 1 on a failure.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
WORK="$(mktemp -d)"
PORT="$(free_port)"
KEY="hostile-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
SERVER=""
cleanup() {
  [[ -z "$SERVER" ]] || kill "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

LOG_LEVEL=WARN "$ROOT/switchboard" serve --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/data" \
  --eye-api-keys "hostile:$KEY" >"$WORK/serve.log" 2>&1 &
SERVER=$!
# Up to 5 minutes: the launcher builds the jar first when sources changed.
for _ in $(seq 1 300); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/health/live" && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
  sleep 1
done
status=0
python3 "$ROOT/benchmarks/hostile.py" 127.0.0.1 "$PORT" "$SERVER" "$KEY" "${RSS_LIMIT_MB:-1024}" || status=$?
echo "server errors logged: $(grep -c '"level":"ERROR"' "$WORK/serve.log" || true), distinct messages:"
grep '"level":"ERROR"' "$WORK/serve.log" | python3 -c 'import sys, json, collections
c = collections.Counter(json.loads(l).get("message", "")[:160] for l in sys.stdin)
for m, n in c.most_common(5): print(f"  {n} x {m}")' || true
# A client that misbehaves is not a server error: nothing may be logged at ERROR.
if grep -q '"level":"ERROR"' "$WORK/serve.log"; then
  echo "FAIL errors were logged (above)"
  status=1
fi
exit $status
