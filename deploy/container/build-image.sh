#!/usr/bin/env bash
# Builds the image localhost/switchboard:VERSION (and :latest) with podman, no registry needed:
# the local Debian base (base-image.sh), the distribution (./switchboard dist), and Containerfile.
# Prints the image name. Needs root, podman, runc and debootstrap (for the base, once).
set -euo pipefail
# debootstrap and runc live in /usr/sbin, which not every PATH has.
export PATH="$PATH:/usr/sbin:/sbin"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BASE="${BASE_IMAGE:-localhost/debian:bookworm-slim}"

# Debian's podman here: crun fails on cgroups and rlimits, so runc, with cgroups managed by podman.
podman_() {
  podman --runtime "${PODMAN_RUNTIME:-runc}" --cgroup-manager "${PODMAN_CGROUP_MANAGER:-cgroupfs}" "$@"
}

BASE_IMAGE="$BASE" "$HERE/base-image.sh" >&2
ARCHIVE="$("$ROOT/switchboard" dist | tail -n 1)"
NAME="$(basename "$ARCHIVE" .tar.gz)"           # switchboard-VERSION-linux-ARCH
VERSION="${NAME#switchboard-}"
VERSION="${VERSION%-linux-*}"

CONTEXT="$(mktemp -d "${TMPDIR:-/var/tmp}/switchboard-image.XXXXXX")"
trap 'rm -rf "$CONTEXT"' EXIT
tar -xzf "$ARCHIVE" -C "$CONTEXT"
mv "$CONTEXT/$NAME" "$CONTEXT/switchboard"
cp "$HERE/Containerfile" "$CONTEXT/Containerfile"

IMAGE="localhost/switchboard:$VERSION"
podman_ build --network host --pull=never --build-arg "BASE=$BASE" \
  --tag "$IMAGE" --tag localhost/switchboard:latest --file "$CONTEXT/Containerfile" "$CONTEXT" >&2
echo "$IMAGE"
