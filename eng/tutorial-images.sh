#!/usr/bin/env bash
# Builds, from files on this machine (no registry, no internet), the two images the tutorial's image walk-through
# needs on the Docker engine at $DOCKER_HOST, unless they are there already:
#  - a Node.js base: this machine's node and its shared libraries under /usr/local/bin, where the official
#    node image keeps it (the enclave Dockerfile's BASE_IMAGE);
#  - the sconify stand-in of enclave/test-sconify (static busybox + this machine's docker CLI), which honours
#    sconify_iexec's documented arguments but makes no enclave (the real one is gated behind a SCONE account).
# Tags carry the node version and the stand-in's content hash, so a change rebuilds and a warm run reuses.
# Prints the two references as shell assignments: TUTORIAL_BASE_IMAGE=… and TUTORIAL_SCONIFY_IMAGE=…
# Usage: eval "$(bash eng/tutorial-images.sh)"   (needs DOCKER_HOST from eng/docker.sh; progress on stderr)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
log() { echo "tutorial-images.sh: $*" >&2; }
export DOCKER_BUILDKIT=0

node_path="$(readlink -f "$(command -v node)")"
node_version="$(node --version | tr -d v)"
standin_hash="$(cat "$root"/enclave/test-sconify/* | sha256sum | cut -c1-12)"
base="iexecsecrets-tutorial/node-base:$node_version"
sconify="iexecsecrets-tutorial/sconify:$standin_hash"

# Copies an executable and every shared library ldd lists into a root file system at the same absolute paths.
add_executable() {
  local host="$1" image="$2" rootfs="$3" lib
  install -D -m 0755 "$(readlink -f "$host")" "$rootfs$image"
  for lib in $(ldd "$host" 2>/dev/null | grep -o '/[^ ]*' || true); do
    [ -e "$rootfs$lib" ] || install -D "$(readlink -f "$lib")" "$rootfs$lib"
  done
}

present() { docker image inspect "$1" >/dev/null 2>&1; }

if present "$base"; then
  log "$base is on the engine"
else
  ctx="$(mktemp -d)"
  trap 'rm -rf "$ctx"' EXIT
  add_executable "$node_path" /usr/local/bin/node "$ctx/rootfs"
  printf 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin\n' > "$ctx/Dockerfile"
  log "building $base from $node_path"
  docker build -q -t "$base" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

if present "$sconify"; then
  log "$sconify is on the engine"
else
  ctx="$(mktemp -d)"
  trap 'rm -rf "$ctx"' EXIT
  cp "$root"/enclave/test-sconify/* "$ctx/"
  busybox="$(for b in /bin/busybox /usr/bin/busybox; do [ -x "$b" ] && echo "$b" && break; done)"
  [ -n "$busybox" ] || { log "busybox-static is not installed (eng/docker.sh installs it)"; exit 1; }
  add_executable "$busybox" /bin/busybox "$ctx/rootfs"
  add_executable "$(command -v docker)" /usr/local/bin/docker "$ctx/rootfs"
  log "building the sconify stand-in $sconify"
  docker build -q -t "$sconify" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

echo "TUTORIAL_BASE_IMAGE=$base"
echo "TUTORIAL_SCONIFY_IMAGE=$sconify"
