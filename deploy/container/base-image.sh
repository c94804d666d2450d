#!/usr/bin/env bash
# Makes the base image localhost/debian:bookworm-slim without a registry: a minimal Debian root
# file system from Debian's own mirror (debootstrap), trimmed like Debian's slim image, imported
# into podman. Does nothing if the image exists (FORCE=1 remakes it). Needs root, debootstrap and
# podman (apt-get install -y podman runc debootstrap). Takes one to a few minutes.
set -euo pipefail
# debootstrap and runc live in /usr/sbin, which not every PATH has.
export PATH="$PATH:/usr/sbin:/sbin"

IMAGE="${BASE_IMAGE:-localhost/debian:bookworm-slim}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ "${FORCE:-0}" != 1 ] && podman image exists "$IMAGE"; then
  echo "base-image: $IMAGE exists"
  exit 0
fi
for tool in debootstrap podman; do
  command -v "$tool" >/dev/null || { echo "base-image: needs $tool (apt-get install -y podman runc debootstrap)" >&2; exit 1; }
done

ROOTFS="$(mktemp -d "${TMPDIR:-/var/tmp}/debian-rootfs.XXXXXX")"
trap 'rm -rf "$ROOTFS"' EXIT
debootstrap --variant=minbase bookworm "$ROOTFS" "$MIRROR" >&2
# What Debian's slim images leave out: package lists and caches, documentation, man pages, locales.
rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb \
  "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/* "$ROOTFS"/usr/share/locale/* \
  "$ROOTFS"/var/log/*.log "$ROOTFS"/var/log/apt/* "$ROOTFS"/tmp/*
tar -C "$ROOTFS" -c . | podman import --change 'CMD ["bash"]' - "$IMAGE" >/dev/null
echo "base-image: made $IMAGE ($(podman image inspect --format '{{.Size}}' "$IMAGE") bytes)"
