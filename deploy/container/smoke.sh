#!/usr/bin/env bash
# Smoke test of the container image: builds it (build-image.sh), runs it with podman on the host's
# network, checks /health/ready from outside the container, stops it (SIGTERM) and expects exit 0.
# Prints the image size and the time from `podman run` to ready. Needs root, podman, runc and
# debootstrap; exits non-zero on any failure.
set -euo pipefail
# debootstrap and runc live in /usr/sbin, which not every PATH has.
export PATH="$PATH:/usr/sbin:/sbin"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
READY_TIMEOUT="${READY_TIMEOUT:-120}"

podman_() {
  podman --runtime "${PODMAN_RUNTIME:-runc}" --cgroup-manager "${PODMAN_CGROUP_MANAGER:-cgroupfs}" "$@"
}

build_start=$(date +%s.%N)
IMAGE="$("$HERE/build-image.sh" | tail -n 1)"
build_seconds=$(awk -v s="$build_start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')

# A free port on the host, chosen by the kernel (the container shares the host's network).
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
NAME="switchboard-smoke-$$"
cleanup() { podman_ rm --force --ignore "$NAME" >/dev/null 2>&1 || true; }
trap cleanup EXIT

run_start=$(date +%s.%N)
podman_ run --detach --name "$NAME" --network host --env "PORT=$PORT" "$IMAGE" >/dev/null
ready=""
deadline=$(( $(date +%s) + READY_TIMEOUT ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null; then
    ready=$(date +%s.%N)
    break
  fi
  if [ "$(podman_ inspect --format '{{.State.Running}}' "$NAME")" != true ]; then
    break
  fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "smoke: not ready within ${READY_TIMEOUT}s; the container's log:" >&2
  podman_ logs "$NAME" >&2 || true
  exit 1
fi
ready_seconds=$(awk -v s="$run_start" -v e="$ready" 'BEGIN {printf "%.2f", e - s}')
body="$(curl -fsS "http://127.0.0.1:$PORT/health/ready")"
computed="$(curl -fsS "http://127.0.0.1:$PORT/fibonacci/90")"
case "$computed" in
  *'"result":"2880067194370816120"'*) ;;
  *) echo "smoke: unexpected answer from /fibonacci/90: $computed" >&2; exit 1 ;;
esac

podman_ stop --time 30 "$NAME" >/dev/null
exit_code="$(podman_ inspect --format '{{.State.ExitCode}}' "$NAME")"
logs="$(podman_ logs "$NAME" 2>&1)"
if [ "$exit_code" != 0 ]; then
  echo "smoke: exited $exit_code after SIGTERM; its log:" >&2
  echo "$logs" >&2
  exit 1
fi
if grep -q '\[warning\]' <<<"$logs"; then
  echo "smoke: the JVM warned:" >&2
  grep '\[warning\]' <<<"$logs" >&2
  exit 1
fi

size_bytes="$(podman_ image inspect --format '{{.Size}}' "$IMAGE")"
echo "smoke: ok: $IMAGE"
echo "  /health/ready: $body"
echo "  image size: $((size_bytes / 1000000)) MB; build (base if missing, dist, image): ${build_seconds}s"
echo "  podman run to ready: ${ready_seconds}s; SIGTERM exit code 0"
