#!/usr/bin/env bash
# Set-up for bash users and CI: restores the local dotnet tools (the pinned pwsh 7.6.9), then lets build.ps1 -Setup do
# the rest in that pwsh (the npm tools into tools/node with npm ci, the PoCo artifacts, Pester 5.7.1 and the NuGet
# packages). build.ps1 is the one implementation; this file only bootstraps the pwsh it runs in. Leaves every tracked
# file as it was.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet tool restore --verbosity quiet >/dev/null
NO_COLOR=1 dotnet tool run pwsh -- -NoProfile -NonInteractive -File "$root/build.ps1" -Setup
