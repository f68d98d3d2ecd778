#!/usr/bin/env bash
# The test command: set-up (npm tools, PoCo artifacts, NuGet packages, a Docker engine for the TEE image tests),
# a Release build of the whole solution, then every xunit project, closing with one "N passed, N failed" line.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bash eng/setup.sh
eval "$(bash eng/docker.sh)"
dotnet build IExecSecrets.sln -c Release --no-restore --verbosity quiet -nologo

log="$(mktemp)"
set +e
dotnet test IExecSecrets.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One summary over all test assemblies (dotnet test prints one line per assembly).
awk '/(Passed|Failed)! +- +Failed:/ {
       gsub(/,/, "");
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i + 1);
         if ($i == "Passed:") passed += $(i + 1);
         if ($i == "Skipped:") skipped += $(i + 1);
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
rm -f "$log"
exit "$status"
