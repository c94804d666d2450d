#!/usr/bin/env bash
# Runs the public HTTP cache conformance suite (http-tests/cache-tests, the suite behind
# cache-tests.fyi) against the relay, and prints the required-tests score.
#
#   client (suite runner) -> relay (switchboard serve --only relay) -> the suite's own test server
#
# The suite is the repository head (SUITE_REF, default the default branch), not the older npm
# release: it is cloned from SUITE_REPO into a temporary directory, or taken from SUITE_DIR when
# that points at a checkout already there. Needs git, node 20+ and npm (for the runner's one
# dependency, undici), and the switchboard launcher (it builds the jar). Everything listens on
# 127.0.0.1 only.
#
# Usage: benchmarks/relay-cache-conformance.sh [relay options...]
#   e.g. benchmarks/relay-cache-conformance.sh --relay-cache redis://127.0.0.1:6379
#   SUITE_DIR=/path/to/cache-tests benchmarks/relay-cache-conformance.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
SUITE_REPO="${SUITE_REPO:-https://github.com/http-tests/cache-tests.git}"
SUITE_REF="${SUITE_REF:-}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n "${SUITE_DIR:-}" ]]; then
  SUITE="$SUITE_DIR"
else
  echo "== cloning $SUITE_REPO ${SUITE_REF:-(head)}"
  git clone -q "$SUITE_REPO" "$WORK/suite"
  [[ -z "$SUITE_REF" ]] || git -C "$WORK/suite" checkout -q "$SUITE_REF"
  SUITE="$WORK/suite"
fi
echo "== suite at $(git -C "$SUITE" rev-parse --short HEAD 2>/dev/null || echo unknown)"
# Only the runner's dependency: undici (interim responses); the rest of package.json builds the site.
[[ -d "$SUITE/node_modules/undici" ]] || \
  (cd "$SUITE" && npm install --silent --no-save --no-package-lock --no-audit --no-fund undici@7 >/dev/null)

ORIGIN_PORT="$(free_port)"
RELAY_PORT="$(free_port)"

echo "== starting the suite's origin server on 127.0.0.1:$ORIGIN_PORT"
(cd "$SUITE" && npm_config_protocol=http npm_config_port="$ORIGIN_PORT" npm_config_pidfile="$WORK/origin.pid" \
  exec node test-engine/server/server.mjs >"$WORK/origin.log" 2>&1) &
PIDS+=($!)
wait_http "http://127.0.0.1:$ORIGIN_PORT/config/"

echo "== starting the relay on 127.0.0.1:$RELAY_PORT"
LOG_LEVEL=WARN "$ROOT/switchboard" serve --host 127.0.0.1 --port "$RELAY_PORT" --only relay \
  --relay-backend "http://127.0.0.1:$ORIGIN_PORT" "$@" >"$WORK/relay.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$RELAY_PORT/health/live"

echo "== running the suite through the relay"
(cd "$SUITE" && npm_config_base="http://127.0.0.1:$RELAY_PORT" npm_config_id="" npm_package_config_id="" \
  node --no-warnings test-engine/cli.mjs >"$WORK/results.json")

cat >"$WORK/score.mjs" <<'JS'
// Every required test of the suite counts, as on cache-tests.fyi: one the command-line runner
// cannot run (browser only) counts as not passed.
import fs from 'fs'
import tests from './tests/index.mjs'
import { determineTestResult } from './test-engine/lib/results.mjs'
const results = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const counts = {}
const failed = []
let required = 0
let requiredPassed = 0
for (const suite of tests) {
  for (const test of suite.tests) {
    const kind = test.kind || 'required'
    const verdict = test.id in results ? determineTestResult(tests, test.id, results, true)[2] : 'untested'
    counts[`${kind} ${verdict}`] = (counts[`${kind} ${verdict}`] || 0) + 1
    if (kind === 'required') {
      required++
      if (results[test.id] === true) requiredPassed++
      else failed.push(`${suite.id}: ${test.id}  ${verdict}  ${JSON.stringify(results[test.id] ?? 'browser only').slice(0, 140)}`)
    }
  }
}
console.log('verdicts by kind:', JSON.stringify(counts))
console.log('required tests failed or not passed:')
for (const line of failed) console.log('  ' + line)
console.log(`REQUIRED SCORE: ${requiredPassed} / ${required} required tests passed`)
JS
cp "$WORK/score.mjs" "$SUITE/.relay-score.mjs"
(cd "$SUITE" && node --no-warnings .relay-score.mjs "$WORK/results.json"; rm -f .relay-score.mjs)
if [[ -n "${KEEP_RESULTS:-}" ]]; then cp "$WORK/results.json" "$KEEP_RESULTS"; echo "results copied to $KEEP_RESULTS"; fi
