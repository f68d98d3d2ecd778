#!/usr/bin/env bash
# The main job: set-up, build, start the local iExec network, and run the tutorial walk-through
# (examples/tutorial.ps1) against it in the pinned pwsh 7.6.9 (the dotnet tool of .config/dotnet-tools.json).
# When a Docker engine can run (eng/docker.sh) the walk-through uses the image: the loopback registry
# (eng/registry.sh) receives the sconified enclave image, the app deployed is that image, and the devnet worker
# pulls it with the registry login and runs it in Docker. Otherwise it says so in one line and deploys the
# file:// app. IEXEC_TUTORIAL_NO_DOCKER=1 forces the file:// walk-through.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# Plain-text logs: no ANSI colour when the output is a file or a pipe.
[ -t 1 ] || export NO_COLOR=1
bash eng/setup.sh
dotnet build IExecSecrets.sln -c Release --no-restore --verbosity quiet -nologo

work="${TUTORIAL_DIR:-$root/.devnet/tutorial}"
rm -rf "$work" && mkdir -p "$work"

script_args=(-DevNetDirectory "$work/chain" -WorkDirectory "$work/project" -ModulePath "$root/out/IExecSecrets/IExecSecrets.psd1")
devnet_args=()
images_ok() {
  [ "${IEXEC_TUTORIAL_NO_DOCKER:-0}" != 1 ] || { echo "IEXEC_TUTORIAL_NO_DOCKER=1" > "$work/docker.log"; return 1; }
  local env
  env="$(bash eng/docker.sh 2>>"$work/docker.log")" && eval "$env" || return 1
  env="$(bash eng/registry.sh 2>>"$work/docker.log")" && eval "$env" || return 1
  env="$(bash eng/tutorial-images.sh 2>>"$work/docker.log")" && eval "$env" || return 1
}
if images_ok; then
  echo "tutorial: Docker answers at $DOCKER_HOST: the enclave image is built, sconified, pushed to $IEXEC_TEST_REGISTRY and run by the devnet worker"
  script_args+=(-Registry "$IEXEC_TEST_REGISTRY" -RegistryUser "$IEXEC_TEST_REGISTRY_USER" -RegistryPasswordFile "$IEXEC_TEST_REGISTRY_PASSWORD_FILE"
    -BaseImage "$TUTORIAL_BASE_IMAGE" -SconifyImage "$TUTORIAL_SCONIFY_IMAGE" -DockerHost "$DOCKER_HOST")
  devnet_args+=(--docker-host "$DOCKER_HOST" --registry-login "$IEXEC_TEST_REGISTRY,$IEXEC_TEST_REGISTRY_USER,$IEXEC_TEST_REGISTRY_PASSWORD_FILE")
else
  echo "tutorial: Docker cannot run here ($(grep -v '^\s*$' "$work/docker.log" | tail -n 1)): deploying the file:// app instead of the enclave image"
fi

devnet_log="$work/devnet.log"
dotnet "$root/src/IExecSecrets.DevNet/bin/Release/net10.0/IExecSecrets.DevNet.dll" up --dir "$work/chain" "${devnet_args[@]}" >"$devnet_log" 2>&1 &
devnet_pid=$!
cleanup() { kill -TERM "$devnet_pid" 2>/dev/null || true; wait "$devnet_pid" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 240); do
  [ -f "$work/chain/devnet.json" ] && break
  if ! kill -0 "$devnet_pid" 2>/dev/null; then cat "$devnet_log" >&2; echo "devnet failed to start" >&2; exit 1; fi
  sleep 0.5
done
[ -f "$work/chain/devnet.json" ] || { cat "$devnet_log" >&2; echo "devnet did not become ready" >&2; exit 1; }

dotnet tool run pwsh -- -NoProfile -NonInteractive -File "$root/examples/tutorial.ps1" "${script_args[@]}"
