#!/usr/bin/env bash
# Runs the public HTTP cache conformance suite (npm package http-cache-tests, the suite behind
# cache-tests.fyi) against the relay, and prints the required-tests score.
#
#   client (suite runner) -> relay (switchboard serve --only relay) -> the suite's own test server
#
# Needs node + npm (the package is fetched from the npm registry into a temporary directory),
# and the switchboard launcher (it builds the jar). Everything listens on 127.0.0.1 only.
#
# Usage: benchmarks/relay-cache-conformance.sh [relay options...]
#   e.g. benchmarks/relay-cache-conformance.sh --relay-cache redis://127.0.0.1:6379
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
SUITE_VERSION="${SUITE_VERSION:-0.4.5}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT


echo "== fetching http-cache-tests@$SUITE_VERSION"
(cd "$WORK" && npm pack --silent "http-cache-tests@$SUITE_VERSION" >/dev/null && tar xzf http-cache-tests-*.tgz)
SUITE="$WORK/package"
# Only the runner's two dependencies; the package also lists npm itself, which the CLI never uses.
(cd "$SUITE" && npm install --silent --no-save --no-audit --no-fund --omit=dev node-fetch@2 liquidjs@9 >/dev/null)

ORIGIN_PORT="$(free_port)"
RELAY_PORT="$(free_port)"

echo "== starting the suite's origin server on 127.0.0.1:$ORIGIN_PORT"
(cd "$SUITE" && npm_config_protocol=http npm_config_port="$ORIGIN_PORT" npm_config_pidfile="$WORK/origin.pid" \
  exec node server/server.mjs >"$WORK/origin.log" 2>&1) &
PIDS+=($!)
wait_http "http://127.0.0.1:$ORIGIN_PORT/config/"

echo "== starting the relay on 127.0.0.1:$RELAY_PORT"
LOG_LEVEL=WARN "$ROOT/switchboard" serve --host 127.0.0.1 --port "$RELAY_PORT" --only relay \
  --relay-backend "http://127.0.0.1:$ORIGIN_PORT" "$@" >"$WORK/relay.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$RELAY_PORT/health/live"

echo "== running the suite through the relay"
(cd "$SUITE" && npm_config_base="http://127.0.0.1:$RELAY_PORT" npm_config_id="" npm_package_config_id="" \
  node --no-warnings cli.mjs >"$WORK/results.json")

cat >"$SUITE/score.mjs" <<'JS'
import fs from 'fs'
import tests from './tests/index.mjs'
import surrogate from './tests/surrogate-control.mjs'
import * as display from './lib/display.mjs'
tests.push(surrogate)
const results = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const counts = {}
const failed = []
let required = 0
let requiredPassed = 0
for (const suite of tests) {
  for (const test of suite.tests) {
    if (test.browser_only) continue
    if (!(test.id in results)) continue
    const verdict = display.determineTestResult(tests, test.id, results, true)
    const kind = test.kind || 'required'
    const key = `${kind}:${verdict[0]}`
    counts[key] = (counts[key] || 0) + 1
    if (kind === 'required') {
      required++
      if (results[test.id] === true) requiredPassed++
      else failed.push(`${test.id}  ${verdict[0]}  ${JSON.stringify(results[test.id]).slice(0, 140)}`)
    }
  }
}
console.log('verdicts by kind:', JSON.stringify(counts, null, 0))
console.log('required tests failed or not passed:')
for (const line of failed) console.log('  ' + line)
console.log(`REQUIRED SCORE: ${requiredPassed} / ${required} required tests passed`)
JS
(cd "$SUITE" && node --no-warnings score.mjs "$WORK/results.json")
if [[ -n "${KEEP_RESULTS:-}" ]]; then cp "$WORK/results.json" "$KEEP_RESULTS"; echo "results copied to $KEEP_RESULTS"; fi
