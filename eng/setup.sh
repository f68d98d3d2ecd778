#!/usr/bin/env bash
# Installs everything the tests and the devnet need, from the registries this project is allowed to reach:
# the pinned npm tools (anvil, ethers, the official iexec CLI) into tools/node, the PoCo v6 contract artifacts
# (npm pack: a plain install fails on its git dependencies), the NuGet packages, the pinned pwsh (a dotnet tool) and
# Pester. It leaves every tracked file as it was.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/tools/node"
if [ ! -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || [ ! -d node_modules/iexec ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  # `npm ci` installs exactly the committed lock and never writes it (set-up leaves tracked files untouched). The lock
  # lists anvil's binaries for every platform, which npm ci needs. Should package.json and the lock ever disagree
  # (say, a dependency added without its lock entry), `npm install --no-save` still installs without rewriting
  # package.json or package-lock.json.
  if ! npm ci --no-audit --no-fund --loglevel=error; then
    echo "setup: npm ci failed (package-lock.json out of sync with package.json?); npm install --no-save instead" >&2
    npm install --no-save --no-audit --no-fund --loglevel=error
  fi
fi
if [ ! -f poco/package/package.json ]; then
  rm -rf poco && mkdir -p poco
  (cd poco && npm pack @iexec/poco@6.1.0 --silent >/dev/null && tar xzf iexec-poco-6.1.0.tgz && rm iexec-poco-6.1.0.tgz)
fi
cd "$root"
# The pinned pwsh 7.6.9 (.config/dotnet-tools.json; run it as `dotnet pwsh`) and Pester 5.7.1 (restored into the
# NuGet package folder by tests/Pester/Pester.Restore.csproj, never committed).
dotnet tool restore --verbosity quiet >/dev/null
dotnet restore tests/Pester/Pester.Restore.csproj --verbosity quiet
dotnet restore IExecSecrets.sln --verbosity quiet
