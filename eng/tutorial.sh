#!/usr/bin/env bash
# The main job: set-up, build, start the local iExec network, and run the tutorial walk-through
# (examples/tutorial.ps1) against it — in pwsh when it is installed, else in the embedded engine (iexec-pwsh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash eng/setup.sh
dotnet build IExecSecrets.sln -c Release --no-restore --verbosity quiet -nologo

work="${TUTORIAL_DIR:-$root/.devnet/tutorial}"
rm -rf "$work" && mkdir -p "$work"
devnet_log="$work/devnet.log"
dotnet "$root/src/IExecSecrets.DevNet/bin/Release/net10.0/IExecSecrets.DevNet.dll" up --dir "$work/chain" >"$devnet_log" 2>&1 &
devnet_pid=$!
cleanup() { kill -TERM "$devnet_pid" 2>/dev/null || true; wait "$devnet_pid" 2>/dev/null || true; }
trap cleanup EXIT

for _ in $(seq 1 240); do
  [ -f "$work/chain/devnet.json" ] && break
  if ! kill -0 "$devnet_pid" 2>/dev/null; then cat "$devnet_log" >&2; echo "devnet failed to start" >&2; exit 1; fi
  sleep 0.5
done
[ -f "$work/chain/devnet.json" ] || { cat "$devnet_log" >&2; echo "devnet did not become ready" >&2; exit 1; }

script_args=(-DevNetDirectory "$work/chain" -WorkDirectory "$work/project" -ModulePath "$root/out/IExecSecrets/IExecSecrets.psd1")
if command -v pwsh >/dev/null 2>&1; then
  pwsh -NoProfile -NonInteractive -File "$root/examples/tutorial.ps1" "${script_args[@]}"
else
  dotnet "$root/tools/IExecSecrets.ScriptHost/bin/Release/net10.0/iexec-pwsh.dll" -File "$root/examples/tutorial.ps1" "${script_args[@]}"
fi
