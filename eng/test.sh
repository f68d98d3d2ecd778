#!/usr/bin/env bash
# The test command: set-up (npm tools, PoCo artifacts, NuGet packages, a Docker engine for the TEE image tests),
# a Release build of the whole solution, then every xunit project.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash eng/setup.sh
eval "$(bash eng/docker.sh)"
dotnet build IExecSecrets.sln -c Release --no-restore --verbosity quiet -nologo
dotnet test IExecSecrets.sln -c Release --no-build --verbosity quiet -nologo --logger "console;verbosity=normal" "$@"
