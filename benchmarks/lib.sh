# Shared helpers for the benchmark scripts (sourced, not run).

# free_port: prints a TCP port nobody listens on.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL: waits up to 60 s until URL gives any HTTP answer.
wait_http() {
  for _ in $(seq 1 600); do
    curl -s -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  return 1
}

# start_nginx DIR PORT: serves DIR/www statically with one worker; prints its pid file path.
start_nginx() {
  local dir="$1" port="$2"
  mkdir -p "$dir/www" "$dir/logs"
  chmod 755 "$dir" "$dir/www" # nginx workers run as an unprivileged user
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    default_type application/json;
  }
}
CONF
  "${NGINX:-nginx}" -c "$dir/nginx.conf" -p "$dir" 2>/dev/null || /usr/sbin/nginx -c "$dir/nginx.conf" -p "$dir"
  for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
}

stop_nginx() {
  [ -f "$1/nginx.pid" ] && kill "$(cat "$1/nginx.pid")" 2>/dev/null || true
}

# wrk_line LABEL URL [wrk args]: one line with requests/s and latency percentiles.
wrk_line() {
  local label="$1" url="$2"
  shift 2
  wrk --latency "$@" "$url" | awk -v label="$label" '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +90%/ {p90=$2} /^ +99%/ {p99=$2}
    /Non-2xx/ {errors=$NF}
    END {printf "%-34s %10s req/s   p50 %-9s p90 %-9s p99 %-9s %s\n", label, rps, p50, p90, p99, (errors ? "non-2xx " errors : "")}'
}

# gmpy2_python: prints a python3 that can import gmpy2 (Debian's python3-gmpy2 lives in the
# system Python, which may not be the first python3 on PATH), or fails saying what to install.
gmpy2_python() {
  local candidate
  for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import gmpy2' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "python3-gmpy2 is missing: apt-get install python3-gmpy2" >&2
  return 1
}
