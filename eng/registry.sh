#!/usr/bin/env bash
# Makes a Docker distribution registry answer on loopback for the image push tests, idempotently:
#  1. installs Debian's docker-registry and apache2-utils (htpasswd) with apt-get when they are missing;
#  2. under $IEXEC_REGISTRY_DIR (default /tmp/iexecsecrets-registry) writes a random password (mode 600, never on a
#     command line), a bcrypt htpasswd file for the user iexec-test, and a config with filesystem storage there;
#  3. starts the registry on 127.0.0.1:$IEXEC_REGISTRY_PORT (default 5765) with htpasswd auth unless one answers
#     there already; the Docker engine treats 127.0.0.0/8 registries as insecure-allowed, so plain HTTP works;
#  4. waits until GET /v2/ answers 401 (auth on) and prints the lines to export.
# Usage: eval "$(bash eng/registry.sh)"    (progress goes to stderr, the export lines to stdout)
set -euo pipefail
dir="${IEXEC_REGISTRY_DIR:-/tmp/iexecsecrets-registry}"
port="${IEXEC_REGISTRY_PORT:-5765}"
user=iexec-test
address="127.0.0.1:$port"
log() { echo "registry.sh: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "must run as root (or with sudo) to $*"; exit 1; fi
}

missing=()
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

exports() {
  echo "export IEXEC_TEST_REGISTRY=$address"
  echo "export IEXEC_TEST_REGISTRY_USER=$user"
  echo "export IEXEC_TEST_REGISTRY_PASSWORD_FILE=$dir/password"
}

# 401 means a registry with auth on answers; anything else (000 = nothing) is not ours.
status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$address/v2/" || true; }

if [ "$(status)" = 401 ] && [ -s "$dir/password" ]; then
  log "a registry already answers on $address"
  exports
  exit 0
fi

mkdir -p "$dir/data"
if [ ! -s "$dir/password" ]; then
  (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$dir/password")
fi
chmod 600 "$dir/password"
# -i reads the password from stdin, so it never appears in a process list.
htpasswd -iBc "$dir/htpasswd" "$user" < "$dir/password" 2>/dev/null
cat > "$dir/config.yml" <<YAML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $address
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: iexecsecrets-test
    path: $dir/htpasswd
YAML

if [ -f "$dir/registry.pid" ] && kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null; then
  log "registry (pid $(cat "$dir/registry.pid")) is running but not answering yet"
else
  log "starting docker-registry on $address (log: $dir/registry.log)"
  # setsid: the registry must outlive this script and the shell that ran it.
  setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 < /dev/null &
  echo $! > "$dir/registry.pid"
fi

for _ in $(seq 1 30); do
  if [ "$(status)" = 401 ]; then
    log "registry answers on $address"
    exports
    exit 0
  fi
  sleep 1
done
log "the registry did not answer on $address within 30 s; last log lines:"
tail -n 20 "$dir/registry.log" >&2 || true
exit 1
