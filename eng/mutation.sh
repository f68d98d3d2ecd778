#!/usr/bin/env bash
# Mutation testing of the security-critical Core files with Stryker.NET 5.1.0 (the dotnet tool of
# .config/dotnet-tools.json): each file group is mutated in turn and the Core tests of the namespaces that exercise it
# are run against every mutant (per-test coverage: only the tests that reach a mutant run for it). Prints, and writes
# to artifacts/mutation/scores.md, the score per file: (killed + timed out) / (killed + timed out + survived + no
# coverage). The surviving mutants of a group: pwsh eng/mutation-report.ps1 -Folder artifacts/mutation -Survivors.
#
# CPU-heavy: it runs at the lowest priority (nice 19), one group at a time, one test process at a time; never run it
# beside eng/test.sh. Each group's time is printed and kept in artifacts/mutation/<group>/duration.txt; the times
# measured are in docs/test-quality.md. CI does not run it.
#   bash eng/mutation.sh                # every group
#   bash eng/mutation.sh sms transport  # some groups
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[ -t 1 ] || export NO_COLOR=1
bash eng/setup.sh
dotnet build tests/IExecSecrets.Core.Tests -c Release --no-restore --verbosity quiet -nologo

# group name: the files it mutates (below src/IExecSecrets.Core), then the test namespaces (below
# IExecSecrets.Core.Tests) whose tests reach them.
declare -A groups=(
  [transport]="Net/TransportPolicy.cs"
  [sms]="Sms/SmsClient.cs Sms/SmsClient.Requests.cs Sms/SmsChallenge.cs"
  [orders]="Execution/OrderVetting.cs Market/MarketChallenge.cs Crypto/ChallengeTypedData.cs"
  [results]="Execution/TaskResultDownloader.cs"
  [keystore]="Wallet/KeystoreKdf.cs"
  [text]="Secrets/SecretRedactor.cs Text/ForeignText.cs"
  [fees]="Chain/FeeCap.cs"
)
declare -A tests=(
  [transport]="Net Sms Market Execution Chain"
  [sms]="Sms Differential Text"
  [orders]="Execution Market Orders Nethereum"
  [results]="Net Execution"
  [keystore]="Wallet Differential"
  [text]="Secrets Text Execution"
  [fees]="Chain"
)
order=(transport sms orders results keystore text fees)
[ "$#" -eq 0 ] || order=("$@")
out="$root/artifacts/mutation"
mkdir -p "$out"

for group in "${order[@]}"; do
  [ -n "${groups[$group]:-}" ] || { echo "mutation.sh: no group '$group' (groups: ${!groups[*]})" >&2; exit 2; }
  mutate=()
  for file in ${groups[$group]}; do mutate+=(--mutate "**/src/IExecSecrets.Core/$file"); done
  filter=""
  for namespace in ${tests[$group]}; do filter="${filter:+$filter|}FullyQualifiedName~IExecSecrets.Core.Tests.$namespace."; done
  rm -rf "${out:?}/$group"
  started=$(date +%s)
  (cd tests/IExecSecrets.Core.Tests && nice -n 19 dotnet tool run dotnet-stryker -- \
      --project IExecSecrets.Core.csproj --configuration Release --concurrency 1 --skip-version-check \
      "${mutate[@]}" --test-case-filter "$filter" --reporter json --reporter cleartext --output "$out/$group")
  echo "mutation.sh: group $group took $(( $(date +%s) - started )) s" | tee "$out/$group/duration.txt"
done

# One table over every report found (groups run earlier included), computed from the JSON reports.
dotnet tool run pwsh -- -NoProfile -NonInteractive -File eng/mutation-report.ps1 -Folder "$out"
