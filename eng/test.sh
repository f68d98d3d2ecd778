#!/usr/bin/env bash
# The test command: set-up (npm tools, PoCo artifacts, NuGet packages, pwsh 7.6.9 and Pester, a Docker engine for the
# TEE image tests), a Release build of the whole solution, every xunit project, then the Pester suite in real pwsh
# (eng/pester.sh), closing with one "N passed, N failed, N skipped" line over both (the last line of that shape). It
# fails when any test fails; when a test assembly (each tests/*.Tests project) or the Pester run printed no summary,
# ran no test, or only skipped ones (a filter that matches nothing is a failure, not a pass); and when the run left a
# tracked file changed or an untracked file outside the ignored paths (git status not clean). Skips are counted as
# skips, never as passes; the clean-tree check is reported on its own line, apart from the test counts.
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
  dirty=0
fi
# One summary per test assembly: "Passed!  - Failed: 0, Passed: 801, Skipped: 2, Total: 803, Duration: 20 s - X.dll (net10.0)"
# (the word is "Failed!" or "Skipped!" too). Each test project must have one, with at least one test that ran.
incomplete=0
for project in tests/*.Tests/*.Tests.csproj; do
  assembly="$(basename "$project" .csproj).dll"
  line="$(grep -E "^(Passed|Failed|Skipped)! +- +Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+, Total: +[0-9]+.* - ${assembly//./\\.} " "$log" | tail -n 1 || true)"
  if [ -z "$line" ]; then
    echo "test.sh: $assembly printed no summary (it did not run, or no test matched)." >&2
    incomplete=1
  elif echo "$line" | grep -qE 'Passed: +0,'; then
    echo "test.sh: $assembly ran no test that was not skipped: $line" >&2
    incomplete=1
  fi
done
pester_summary="$(grep -E '^Pester: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$pester_log" | tail -n 1 || true)"
if [ -z "$pester_summary" ]; then
  echo "test.sh: the Pester run printed no summary (it did not run)." >&2
  pester_summary="Pester: 0 passed, 0 failed, 0 skipped"
  incomplete=1
elif echo "$pester_summary" | grep -qE '^Pester: 0 passed'; then
  echo "test.sh: the Pester run ran no test that was not skipped." >&2
  incomplete=1
fi
# A CI log is often read from its tail only: name every failed test again just above the closing line.
failed_names="$(grep -E '^ +Failed [A-Za-z_][A-Za-z0-9_.]*' "$log" | sed -E 's/^ +Failed /xunit: /' || true)"
failed_names+=$'\n'"$(grep -E '^ *\[-\] ' "$pester_log" | sed -E 's/^ *\[-\] /Pester: /' || true)"
failed_names="$(printf '%s\n' "$failed_names" | sed '/^$/d')"
if [ -n "$failed_names" ]; then
  echo "Failed tests:"
  printf '%s\n' "$failed_names" | sed 's/^/  /'
fi
if [ "$dirty" -eq 0 ]; then echo "Clean tree: yes"; else echo "Clean tree: no (see above)"; fi
[ "$incomplete" -eq 0 ] || echo "test.sh: some tests did not run (see above); the run fails whatever the counts say." >&2
# The closing line, over every assembly and the Pester run: tests only (the clean-tree check is reported above).
awk -v pester="$pester_summary" '/^(Passed|Failed|Skipped)! +- +Failed:/ {
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
       printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
     }' "$log"
[ "$status" -eq 0 ] || exit "$status"
[ "$pester_status" -eq 0 ] || exit "$pester_status"
[ "$incomplete" -eq 0 ] || exit 1
[ "$dirty" -eq 0 ] || exit 1
exit 0
