#!/usr/bin/env bash
# Eye benchmark: sustained ingestion (events/s and p99 acknowledgement latency, batches of 1 and
# 100) on SQLite and on PostgreSQL, next to a reference measured in the same run (GET /health/live
# on the same server: the HTTP ceiling without the database); then a crash test: kill -9 the
# server during ingestion, restart it, and check that every acknowledged id is stored exactly once.
#
#   benchmarks/eye.sh [bench|crash|all]        (default all)
#
# Everything runs on 127.0.0.1, bounded in time. Settings (environment):
#   DURATION=10s  CONNECTIONS=32  BATCH_CONNECTIONS=8  CRASH_AFTER=6  DATABASES="sqlite postgresql"
#   PG_HOST=127.0.0.1 PG_USER=postgres PG_DB=test   (PostgreSQL with trust auth; skipped if absent)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
MODE="${1:-all}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
BATCH_CONNECTIONS="${BATCH_CONNECTIONS:-8}"
CRASH_AFTER="${CRASH_AFTER:-6}"
DATABASES="${DATABASES:-sqlite postgresql}"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_USER="${PG_USER:-postgres}"
PG_DB="${PG_DB:-test}"
KEY="bench-key-$(date +%s)-0123456789"
WORK="$(mktemp -d)"
SERVER_PID=""
SCHEMAS=()

cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  for schema in "${SCHEMAS[@]+"${SCHEMAS[@]}"}"; do
    psql -q -h "$PG_HOST" -U "$PG_USER" "$PG_DB" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

pg_available() {
  psql -q -h "$PG_HOST" -U "$PG_USER" "$PG_DB" -c "SELECT 1" >/dev/null 2>&1
}

# Prints the --eye-database argument for database $1 (a fresh schema for PostgreSQL).
database_args() {
  if [ "$1" = "postgresql" ]; then
    local schema="eye_bench_$$_$RANDOM"
    psql -q -h "$PG_HOST" -U "$PG_USER" "$PG_DB" -c "CREATE SCHEMA $schema" >/dev/null
    SCHEMAS+=("$schema")
    echo "--eye-database=jdbc:postgresql://$PG_HOST:5432/$PG_DB?user=$PG_USER&currentSchema=$schema"
  fi
}

# start_server DATA_DIR [extra serve args...]: starts the eye alone and waits until it is ready.
start_server() {
  local data="$1"
  shift
  PORT="${PORT_FIXED:-$(free_port)}"
  "$ROOT/switchboard" serve --only eye --host 127.0.0.1 --port "$PORT" --data-dir "$data" \
    --eye-api-keys "bench:$KEY" "$@" >>"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "server exited; log:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "server not ready after 60 s" >&2
  exit 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# wrk_row LABEL BATCH CONNECTIONS [wrk args...]: runs wrk, prints one table row.
wrk_row() {
  local label="$1" batch="$2" conns="$3"
  shift 3
  local out
  out="$(BATCH="$batch" EYE_KEY="$KEY" RUN_ID="$label-$RANDOM" wrk -t2 -c"$conns" -d"$DURATION" --latency "$@")"
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")"
  printf "%-34s %6s %5s %11s %11s %9s %9s %9s\n" "$label" "$batch" "$conns" "$rps" \
    "$(awk -v r="$rps" -v b="$batch" 'BEGIN {printf "%.0f", r * b}')" "$p50" "$p99" "${errors:-0}"
}

bench() {
  echo "== sustained ingestion ($DURATION per row, wrk -t2; events/s = req/s x batch; non-2xx counts 503s)"
  printf "%-34s %6s %5s %11s %11s %9s %9s %9s\n" "run" "batch" "conns" "req/s" "events/s" "p50" "p99" "non-2xx"
  for db in $DATABASES; do
    if [ "$db" = "postgresql" ] && ! pg_available; then
      echo "postgresql: not reachable on $PG_HOST, skipped"
      continue
    fi
    local data="$WORK/bench-$db"
    start_server "$data" $(database_args "$db")
    local url="http://127.0.0.1:$PORT"
    wrk_row "$db reference GET /health/live" 0 "$CONNECTIONS" "$url/health/live"
    wrk_row "$db POST /events" 1 "$CONNECTIONS" -s "$ROOT/benchmarks/eye-ingest.lua" "$url"
    wrk_row "$db POST /events" 100 "$BATCH_CONNECTIONS" -s "$ROOT/benchmarks/eye-ingest.lua" "$url"
    curl -s "$url/metrics" | awk -v db="$db" '
      /^switchboard_eye_writer_group_events_sum/ {s = $2} /^switchboard_eye_writer_group_events_count/ {c = $2}
      /^switchboard_eye_writer_commit_duration_seconds_sum/ {t = $2}
      END {if (c > 0) printf "  %s group commit: %d commits, %.1f events and %.1f ms per commit on average\n", db, c, s / c, 1000 * t / c}'
    stop_server
  done
}

crash() {
  echo "== crash test: kill -9 during ingestion after ${CRASH_AFTER}s, restart, verify acknowledged ids"
  for db in $DATABASES; do
    if [ "$db" = "postgresql" ] && ! pg_available; then
      echo "postgresql: not reachable on $PG_HOST, skipped"
      continue
    fi
    local data="$WORK/crash-$db" acked="$WORK/acked-$db.txt" stop="$WORK/stop-$db"
    local dbargs
    dbargs="$(database_args "$db")"
    start_server "$data" $dbargs
    local url="http://127.0.0.1:$PORT"
    python3 "$ROOT/benchmarks/eye_crash.py" ingest "$url" "$KEY" "$acked" "$stop" &
    local ingest_pid=$!
    sleep "$CRASH_AFTER"
    kill -9 "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    touch "$stop"
    wait "$ingest_pid"
    PORT_FIXED="$PORT" start_server "$data" $dbargs
    echo -n "$db: "
    if python3 "$ROOT/benchmarks/eye_crash.py" verify "$url" "$KEY" "$acked"; then
      echo "$db: PASS"
    else
      echo "$db: FAIL"
      stop_server
      return 1
    fi
    stop_server
  done
}

"$ROOT/switchboard" build >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
case "$MODE" in
  bench) bench ;;
  crash) crash ;;
  all) bench; crash ;;
  *) echo "usage: $0 [bench|crash|all]" >&2; exit 2 ;;
esac
