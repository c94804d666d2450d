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

# start_menu_origin_and_proxy ROOT WORK ORIGIN_PORT PROXY_PORT: the relay benchmarks' references.
# The origin is nginx serving the menu JSON the mock lists (its bundled data) with a freshness
# lifetime; the reference proxy is nginx, one worker, cached (/cached/, proxy_cache) and
# pass-through (/pass/, keepalive upstream). Both write their pid files into WORK.
start_menu_origin_and_proxy() {
  local root="$1" work="$2" origin_port="$3" proxy_port="$4"
  mkdir -p "$work/www/api" "$work/cache"
  "${PYTHON:-python3}" - "$root/mock/src/main/resources/io/switchboard/mock/menu/menu.json" "$work/www/api/restaurant" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
for r in data["restaurants"]:
    r.pop("detail", None)
json.dump(data, open(sys.argv[2], "w"))
PY
  cat >"$work/origin.conf" <<NGINX
worker_processes 1;
pid $work/origin.pid;
error_log $work/origin-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$origin_port;
    location /api/ {
      root $work/www;
      default_type application/json;
      add_header Cache-Control "max-age=3600";
    }
  }
}
NGINX
  cat >"$work/proxy.conf" <<NGINX
worker_processes 1;
pid $work/proxy.pid;
error_log $work/proxy-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  proxy_cache_path $work/cache keys_zone=menu:10m;
  upstream origin {
    server 127.0.0.1:$origin_port;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$proxy_port;
    location /cached/ {
      proxy_pass http://origin/api/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache menu;
    }
    location /pass/ {
      proxy_pass http://origin/api/;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
NGINX
  "${NGINX:-nginx}" -c "$work/origin.conf" -p "$work"
  "${NGINX:-nginx}" -c "$work/proxy.conf" -p "$work"
  wait_http "http://127.0.0.1:$origin_port/api/restaurant"
  wait_http "http://127.0.0.1:$proxy_port/cached/restaurant"
}
