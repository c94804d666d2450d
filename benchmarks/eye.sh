#!/usr/bin/env bash
# Eye benchmark: sustained ingestion (events/s and p99 acknowledgement latency, batches of 1 and
# 100, closed model with wrk) and single events at a fixed rate (open model with `switchboard bench
# --rate`, latency counted from the intended send time, so waiting counts) on SQLite and on
# PostgreSQL, next to a reference measured in the same run, before and after (GET /health/live on
# the same server: the HTTP ceiling without the database); the server's CPU time per event (from
# /proc) is the figure that holds when the machine is busy, and each fixed-rate row says which
# threads spent it (the writer, the processor, the event loops). Then a crash test: kill -9 the server
# during ingestion, restart it, and check that every acknowledged id is stored exactly once.
#
#   benchmarks/eye.sh [bench|crash|all]        (default all)
#
# Everything runs on 127.0.0.1, bounded in time. Settings (environment):
#   DURATION=10s  CONNECTIONS=32  BATCH_CONNECTIONS=8  RATE=5000  RATE_WARMUP=10s  CRASH_AFTER=6  DATABASES="sqlite postgresql"
#   PG_HOST=127.0.0.1 PG_USER=postgres PG_DB=test   (PostgreSQL with trust auth; skipped if absent)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/benchmarks/lib.sh"
MODE="${1:-all}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
BATCH_CONNECTIONS="${BATCH_CONNECTIONS:-8}"
RATE="${RATE:-5000}"
# Unmeasured load before each fixed-rate row: the JIT compiles the single-event path only after
# thousands of requests, and wrk's rows before do not exercise all of it.
RATE_WARMUP="${RATE_WARMUP:-10s}"
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

# Server CPU time so far (user + system), in clock ticks.
server_ticks() {
  awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"
}

# Server CPU time so far per thread name (pool threads summed), in clock ticks: "name ticks" lines.
thread_ticks() {
  for task in /proc/"$SERVER_PID"/task/*; do
    echo "$(tr ' ' '_' <"$task/comm" | sed 's/#\?[0-9]*$//') $(awk '{print $14 + $15}' "$task/stat")"
  done 2>/dev/null | awk '{ticks[$1] += $2} END {for (t in ticks) print t, ticks[t]}' | sort
}

# Events acknowledged so far (the server's counter), or requests for a reference row.
acknowledged() {
  curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^switchboard_eye_events_acknowledged_total/ {printf "%d", $2}'
}

# Waits (at most 60 s) until the processor has judged every stored event, so that the CPU time of a
# row includes the processing its events cost and not only their acknowledgement.
wait_processed() {
  for _ in $(seq 1 120); do
    curl -s "http://127.0.0.1:$PORT/metrics" | awk '
      /^switchboard_eye_events_(valid|invalid)_total/ {judged += $2}
      /^switchboard_eye_events_acknowledged_total/ {acked += $2} /^switchboard_eye_events_duplicates_total/ {acked -= $2}
      END {exit judged >= acked ? 0 : 1}' && return 0
    sleep 0.5
  done
  echo "  (events still waiting for the processor after 60 s; cpu excludes the rest)"
}

# cpu_per_unit TICKS UNITS: microseconds of server CPU per event (or request).
cpu_per_unit() {
  awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN {if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "-"}'
}

row() {
  printf "%-34s %6s %6s %11s %11s %9s %9s %9s %8s\n" "$@"
}

# wrk_row LABEL BATCH CONNECTIONS [wrk args...]: runs wrk, prints one table row.
wrk_row() {
  local label="$1" batch="$2" conns="$3"
  shift 3
  local out ticks acked
  ticks="$(server_ticks)"
  acked="$(acknowledged)"
  out="$(BATCH="$batch" EYE_KEY="$KEY" RUN_ID="$label-$RANDOM" wrk -t2 -c"$conns" -d"$DURATION" --latency "$@")"
  wait_processed
  ticks=$(($(server_ticks) - ticks))
  local rps p50 p99 errors requests units
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")"
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  units=$((batch == 0 ? requests : $(acknowledged) - acked))
  row "$label" "$batch" "$conns" "$rps" "$(awk -v r="$rps" -v b="$batch" 'BEGIN {printf "%.0f", r * b}')" \
    "$p50" "$p99" "${errors:-0}" "$(cpu_per_unit "$ticks" "$units")"
}

# rate_row LABEL BATCH [bench args...]: a fixed-rate run of `switchboard bench`, one table row
# (conns shows the rate; p50/p99 from the intended send time; non-2xx counts errors and timeouts).
rate_row() {
  local label="$1" batch="$2"
  shift 2
  local out ticks acked units by_thread
  ticks="$(server_ticks)"
  by_thread="$(thread_ticks)"
  acked="$(acknowledged)"
  out="$("$ROOT/switchboard" bench --rate "$RATE/s" --duration "$DURATION" --warmup "$RATE_WARMUP" --connections 256 "$@" 2>&1)"
  wait_processed
  ticks=$(($(server_ticks) - ticks))
  local line
  line="$(grep "^rate=" <<<"$out" | head -1)"
  # A reference row's requests: measured plus warm-up (the CPU time covers both).
  units=$((batch == 0 ? $(awk '{gsub(",", "", $2); print $2}' <<<"$line") \
    + $(awk '/^warm-up/ {for (i = 1; i < NF; i++) if ($(i + 1) ~ /^requests/) {gsub(",", "", $i); n = $i}} END {printf "%d", n}' <<<"$out") \
    : $(acknowledged) - acked))
  awk -v label="$label" -v batch="$batch" -v rate="$RATE/s" -v cpu="$(cpu_per_unit "$ticks" "$units")" '{
      gsub(",", "", $2); gsub(",", "", $3); split($11, e, "/"); errors = e[1] + e[2] + e[3]
      printf "%-34s %6s %6s %11s %11s %9s %9s %9s %8s\n", label, batch, rate, $3, (batch == 0 ? 0 : $3 * batch),
        $5 "ms", $7 "ms", errors, cpu
    }' <<<"$line"
  grep -i "fell behind" <<<"$out" | sed 's/^/  /' || true
  # Where the CPU time of the row went: the writer, the processor, the event loops...
  join <(echo "$by_thread") <(thread_ticks) | awk -v n="$units" -v hz="$(getconf CLK_TCK)" '
    $3 > $2 && n > 0 {printf "%s %.0f\n", $1, ($3 - $2) * 1e6 / hz / n}' | sort -k2 -nr | head -5 |
    awk '{line = line (NR > 1 ? ", " : "") $1 " " $2} END {if (line != "") print "  cpu us by thread: " line}'
}

bench() {
  echo "== sustained ingestion ($DURATION per row; wrk -t2 closed model, then switchboard bench at a fixed rate: open model,"
  echo "   latency from the intended send time; events/s = req/s x batch; non-2xx counts 503s, errors and timeouts;"
  echo "   cpu = server CPU time per event until the processor has judged it, or per request for the reference)"
  row "run" "batch" "conns" "req/s" "events/s" "p50" "p99" "non-2xx" "cpu us"
  local event='{"session_id":"s1","category":"page interaction","name":"pageview","data":{"host":"h","path":"/"},"timestamp":"2021-01-01 09:15:27.243860"}'
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
    wrk_row "$db reference GET /health/live" 0 "$CONNECTIONS" "$url/health/live"
    rate_row "$db reference GET /health/live" 0 "$url/health/live"
    rate_row "$db POST /events (server ids)" 1 --method POST -H 'Content-Type: application/json' \
      -H "Authorization: Bearer $KEY" --body "$event" "$url/events"
    rate_row "$db reference GET /health/live" 0 "$url/health/live"
    curl -s "$url/metrics" | awk -v db="$db" '
      /^switchboard_eye_writer_group_events_sum/ {s = $2} /^switchboard_eye_writer_group_events_count/ {c = $2}
      /^switchboard_eye_writer_commit_duration_seconds_sum/ {t = $2}
      END {if (c > 0) printf "  %s group commit: %d commits, %.1f events and %.1f ms per commit on average\n", db, c, s / c, 1000 * t / c}'
    echo "  load average after $db: $(cut -d' ' -f1-3 /proc/loadavg)"
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
