#!/usr/bin/env bash
# Makes a Docker engine answer for the TEE image tests, idempotently:
#  1. installs Debian's docker.io and busybox-static with apt-get when they are missing;
#  2. if no daemon answers on $DOCKER_HOST (or on the one this script starts), starts dockerd under
#     $IEXEC_DOCKER_DIR (default /tmp/iexecsecrets-docker) with no bridge and no iptables rules, so it neither
#     touches the host's network nor needs a registry (the tests build every image from local files);
#  3. waits until it answers and prints the line to export, e.g. `export DOCKER_HOST=unix:///tmp/.../docker.sock`.
# Usage: eval "$(bash eng/docker.sh)"    (progress goes to stderr, the export line to stdout)
set -euo pipefail
dir="${IEXEC_DOCKER_DIR:-/tmp/iexecsecrets-docker}"
sock="$dir/docker.sock"
log() { echo "docker.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "must run as root (or with sudo) to $*"; exit 1; fi
}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

answers() { DOCKER_HOST="$1" timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then
  log "a daemon already answers on $DOCKER_HOST"
  echo "export DOCKER_HOST=$DOCKER_HOST"
  exit 0
fi
if answers "unix://$sock"; then
  log "a daemon already answers on unix://$sock"
  echo "export DOCKER_HOST=unix://$sock"
  exit 0
fi

mkdir -p "$dir/data" "$dir/exec"
if [ -f "$dir/dockerd.pid" ] && kill -0 "$(cat "$dir/dockerd.pid")" 2>/dev/null; then
  log "dockerd (pid $(cat "$dir/dockerd.pid")) is running but not answering yet"
else
  rm -f "$dir/dockerd.pid" "$sock"
  log "starting dockerd under $dir (log: $dir/dockerd.log)"
  # setsid: the daemon must outlive this script and the shell that ran it.
  as_root setsid dockerd --host "unix://$sock" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" --bridge=none --iptables=false --ip6tables=false \
    >"$dir/dockerd.log" 2>&1 < /dev/null &
fi

for _ in $(seq 1 60); do
  if answers "unix://$sock"; then
    log "dockerd answers on unix://$sock"
    echo "export DOCKER_HOST=unix://$sock"
    exit 0
  fi
  sleep 1
done
log "dockerd did not answer within 60 s; last log lines:"
tail -n 20 "$dir/dockerd.log" >&2 || true
exit 1
