#!/usr/bin/env bash
# The test command: set-up (npm tools, PoCo artifacts, NuGet packages, pwsh 7.6.9 and Pester, a Docker engine for the
# TEE image tests), a Release build of the whole solution, every xunit project, then the Pester suite in real pwsh
# (eng/pester.sh), closing with one "N passed, N failed, N skipped" line over both. It fails when any test fails and
# when the run left a tracked file changed or an untracked file outside the ignored paths (git status not clean).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# Plain-text logs: no ANSI colour when the output is a file or a pipe.
[ -t 1 ] || export NO_COLOR=1
bash eng/setup.sh
eval "$(bash eng/docker.sh)"
dotnet build IExecSecrets.sln -c Release --no-restore --verbosity quiet -nologo

log="$(mktemp)"
pester_log="$(mktemp)"
trap 'rm -f "$log" "$pester_log"' EXIT
set +e
dotnet test IExecSecrets.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
bash eng/pester.sh 2>&1 | tee "$pester_log"
pester_status=${PIPESTATUS[0]}
set -e
# The run must leave the repository as it found it: tests write to temp or ignored folders only.
porcelain="$(git status --porcelain --untracked-files=all)"
if [ -n "$porcelain" ]; then
  echo "git status is not clean after set-up, build and tests:" >&2
  echo "$porcelain" >&2
  dirty=1
else
  echo "git status is clean after set-up, build and tests."
  dirty=0
fi
# One summary over all test assemblies (dotnet test prints one line per assembly) and the Pester run.
pester_summary="$(grep -E '^Pester: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$pester_log" | tail -n 1 || true)"
if [ -z "$pester_summary" ]; then
  echo "The Pester run printed no summary (it did not run)." >&2
  pester_summary="Pester: 0 passed, 1 failed, 0 skipped"
  [ "$pester_status" -ne 0 ] || pester_status=1
fi
# The clean-tree check counts as one more test.
awk -v pester="$pester_summary" -v dirty="$dirty" '/(Passed|Failed)! +- +Failed:/ {
       gsub(/,/, "");
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:") failed += $(i + 1);
         if ($i == "Passed:") passed += $(i + 1);
         if ($i == "Skipped:") skipped += $(i + 1);
       }
     }
     END {
       split(pester, p, /[ ,]+/);
       passed += p[2]; failed += p[4]; skipped += p[6];
       if (dirty) failed += 1; else passed += 1;
       printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
     }' "$log"
[ "$status" -eq 0 ] || exit "$status"
[ "$pester_status" -eq 0 ] || exit "$pester_status"
[ "$dirty" -eq 0 ] || exit 1
exit 0
