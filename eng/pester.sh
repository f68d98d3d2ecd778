#!/usr/bin/env bash
# Runs the Pester suite (tests/Pester) in the pinned pwsh 7.6.9 (the dotnet tool of .config/dotnet-tools.json) with a
# fresh HOME, plain-text output, and prints "Pester: N passed, N failed, N skipped". Needs `bash eng/setup.sh` and a
# Release build first. Arguments go to tests/Pester/Invoke-Tests.ps1, e.g.
#   bash eng/pester.sh -Path tests/Pester/Module.Tests.ps1
#   PWSH=/path/to/pwsh bash eng/pester.sh -Path tests/Pester/Module.Tests.ps1    # another pwsh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# dotnet and NuGet keep finding the restored tools and packages under the real HOME.
export NUGET_PACKAGES="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
export DOTNET_CLI_HOME="${DOTNET_CLI_HOME:-$HOME}"
export NO_COLOR=1
if [ -n "${PWSH:-}" ]; then pwsh_cmd=("$PWSH"); else pwsh_cmd=(dotnet tool run pwsh --); fi
fresh_home="$(mktemp -d "${TMPDIR:-/tmp}/iexec-pester-home.XXXXXX")"
trap 'rm -rf "$fresh_home"' EXIT
# The folders a user's home has: .NET reports a missing special folder as "" (tools then write into the working dir).
mkdir -p "$fresh_home/.local/share" "$fresh_home/.config" "$fresh_home/.cache"
HOME="$fresh_home" XDG_CONFIG_HOME="$fresh_home/.config" XDG_DATA_HOME="$fresh_home/.local/share" \
  XDG_CACHE_HOME="$fresh_home/.cache" \
  "${pwsh_cmd[@]}" -NoProfile -NonInteractive -File "$root/tests/Pester/Invoke-Tests.ps1" "$@"
