#!/usr/bin/env bash
# Installs everything the tests and the devnet need, from the registries this project is allowed to reach:
# the pinned npm tools (anvil, ethers, the official iexec CLIs 8.24.0 and, as iexec9, 9.0.1) into tools/node, the PoCo v6 contract artifacts
# (npm pack: a plain install fails on its git dependencies), and the NuGet packages.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/tools/node"
if [ ! -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || [ ! -d node_modules/iexec ] \
   || [ ! -d node_modules/iexec9 ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install`, not `npm ci`: anvil's lock entry cannot list its other platforms' optional binaries (npm leaves
  # them out), which `npm ci` rejects as an out-of-sync lock; install still follows the lock for everything it holds.
  npm install --no-audit --no-fund --loglevel=error
fi
# iexec 9 is installed under the alias iexec9 beside 8.24.0; both packages name their bin `iexec`, and npm links
# whichever it meets last. node_modules/.bin/iexec is the 8.24.0 CLI for every test, so it is pinned here;
# 9.0.1 runs from node_modules/iexec9/dist/esm/cli/cmd/iexec.js (and node_modules/.bin/iexec9).
ln -sfn ../iexec/dist/esm/cli/cmd/iexec.js node_modules/.bin/iexec
ln -sfn ../iexec9/dist/esm/cli/cmd/iexec.js node_modules/.bin/iexec9
if [ ! -f poco/package/package.json ]; then
  rm -rf poco && mkdir -p poco
  (cd poco && npm pack @iexec/poco@6.1.0 --silent >/dev/null && tar xzf iexec-poco-6.1.0.tgz && rm iexec-poco-6.1.0.tgz)
fi
cd "$root"
dotnet restore IExecSecrets.sln --verbosity quiet
