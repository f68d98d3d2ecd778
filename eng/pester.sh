#!/usr/bin/env bash
# Runs the Pester suite (tests/Pester) through build.ps1 -Pester: in the pinned pwsh 7.6.9 (the dotnet tool of
# .config/dotnet-tools.json) with a fresh HOME and plain-text output, printing "Pester: N passed, N failed, N skipped".
# Needs `bash eng/setup.sh` and a Release build first. Arguments go to tests/Pester/Invoke-Tests.ps1, e.g.
#   bash eng/pester.sh -Path tests/Pester/Module.Tests.ps1
#   PWSH=/path/to/pwsh bash eng/pester.sh -Path tests/Pester/Module.Tests.ps1    # another pwsh runs the suite
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
NO_COLOR=1 dotnet tool run pwsh -- -NoProfile -NonInteractive -File "$root/build.ps1" -NoBuild -Pester "$@"
