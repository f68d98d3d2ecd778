#Requires -Version 7.4

<#
.SYNOPSIS
    The one entry point for building, packaging and testing the IExecSecrets module, on any OS with pwsh 7.4+ and
    the .NET 10 SDK (a thin wrapper over dotnet and npm; no bash needed).

.DESCRIPTION
    Set-up (always, unless -NoBuild): restores the pinned tools and packages without changing a tracked file: the npm
    tools the devnet and the interop tests use (anvil, ethers, the iexec CLIs 8.24.0 and 9.0.1) into tools/node with
    `npm ci`, the PoCo contract artifacts (`npm pack @iexec/poco@6.1.0`), the local dotnet tools (the pinned pwsh
    7.6.9), Pester 5.7.1 into the NuGet package folder, and the solution's NuGet packages. Then the solution is built;
    the build of src/IExecSecrets lays out the importable module at out/IExecSecrets/ (manifest, assemblies, en-US help).

    -Test runs every xunit project, then the Pester suite. -Pester runs the Pester suite alone: tests/Pester in the
    pinned pwsh 7.6.9 (or -PwshPath), with a fresh home folder and plain-text output, printing one
    "Pester: N passed, N failed, N skipped" line.

    What needs Linux: the devnet-backed suites (most of the Interop and Pester tests) start anvil from the npm package's
    Linux binary and the dev SMS, market and worker on loopback; the TEE image tests need a Docker engine, which
    eng/docker.sh starts as root on Linux (bash eng/test.sh does all of it, as CI runs it). On Windows and macOS, set-up,
    the build, -Package and the suites that need no devnet (the Core tests, the help and manifest tests) run as on Linux.

.PARAMETER Configuration
    Debug or Release (default Release).

.PARAMETER Clean
    Removes out/ and the bin/obj folders of the solution before building.

.PARAMETER Test
    Runs every xunit project, then the Pester suite, after building.

.PARAMETER Pester
    Runs the Pester suite after building (with -NoBuild: on what is built already).

.PARAMETER PesterArgument
    Every other argument goes to tests/Pester/Invoke-Tests.ps1 with -Pester: -Path tests/Pester/Module.Tests.ps1,
    -FullName '*completion*'.

.PARAMETER PwshPath
    The pwsh that runs the Pester suite (default: the repository's pinned dotnet tool, `dotnet tool run pwsh`; also
    the PWSH environment variable).

.PARAMETER Tutorial
    Runs examples/tutorial.ps1 against the local devnet after building (Linux).

.PARAMETER Package
    Packs the laid-out module (out/IExecSecrets) into a PSResourceGet-installable IExecSecrets.<version>.nupkg in
    -PackageDirectory with Compress-PSResource (PSResourceGet 1.2, shipped with pwsh 7.6); the manifest supplies the
    package metadata (description, authors, tags, project and licence URIs, release notes). Writes the package file.

.PARAMETER PackageDirectory
    Where -Package writes the .nupkg (default out/packages).

.PARAMETER UpdateCmdletDocs
    Copies the markdown help the build generated (out/cmdlet-docs, from the same model as the MAML) over docs/cmdlets,
    removing pages of cmdlets that are gone. Run it after changing a cmdlet's parameters or doc comments and commit
    the result; tests/Pester/Help.Tests.ps1 fails while docs/cmdlets is stale.

.PARAMETER Setup
    Only the set-up: restores tools and packages, builds nothing.

.PARAMETER NoBuild
    Skips the set-up and the build: -Package packs what out/IExecSecrets already holds, -Pester tests it.

.EXAMPLE
    ./build.ps1 -Test
    Sets up, builds in Release and runs every xunit project and the Pester suite.

.EXAMPLE
    ./build.ps1 -NoBuild -Pester -Path tests/Pester/Module.Tests.ps1
    Runs one Pester file against the module built before.

.EXAMPLE
    ./build.ps1 -Package
    Builds, then writes out/packages/IExecSecrets.0.1.0.nupkg; publish it with Publish-PSResource -NupkgPath, or
    Register-PSResourceRepository -Name Local -Uri ./out/packages -Trusted; Install-PSResource IExecSecrets -Repository Local.

.EXAMPLE
    ./build.ps1 -UpdateCmdletDocs
    Builds, then refreshes docs/cmdlets (one page per cmdlet and the README.md index) from the generated help.

.EXAMPLE
    ./build.ps1 -Clean -Configuration Debug
    Rebuilds from scratch in Debug; then Import-Module ./out/IExecSecrets/IExecSecrets.psd1.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $Clean,
    [switch] $Test,
    [switch] $Pester,
    [string] $PwshPath = $env:PWSH,
    [switch] $Tutorial,
    [switch] $Package,
    [string] $PackageDirectory = (Join-Path $PSScriptRoot 'out/packages'),
    [switch] $UpdateCmdletDocs,
    [switch] $Setup,
    [switch] $NoBuild,
    [Parameter(ValueFromRemainingArguments)]
    [string[]] $PesterArgument = @()
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = Join-Path $root 'IExecSecrets.sln'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

if ($Clean -and -not $NoBuild) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
    Invoke-Dotnet clean $solution -c $Configuration -nologo
}

function Invoke-Native([string] $What) {
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE" }
}

# Set-up leaves every tracked file as it was: npm ci installs exactly the committed lock and never writes it.
function Initialize-Tools {
    $node = Join-Path $root 'tools/node'
    $modules = Join-Path $node 'node_modules'
    $lockStamp = Join-Path $modules '.package-lock.json'
    if (-not (Get-Command npm -ErrorAction SilentlyContinue)) {
        Write-Warning 'npm is not installed: the devnet and the interop tests need node/npm (anvil, the iexec CLIs); the build goes on.'
    }
    else {
        $stale = -not (Test-Path (Join-Path $modules 'iexec')) -or -not (Test-Path (Join-Path $modules 'iexec9')) -or -not (Test-Path $lockStamp) -or
            (Get-Item (Join-Path $node 'package-lock.json')).LastWriteTimeUtc -gt (Get-Item -Force $lockStamp).LastWriteTimeUtc -or
            (Get-Item (Join-Path $node 'package.json')).LastWriteTimeUtc -gt (Get-Item -Force $lockStamp).LastWriteTimeUtc
        if ($stale) {
            Push-Location $node
            try {
                & npm ci --no-audit --no-fund --loglevel=error
                if ($LASTEXITCODE -ne 0) {
                    # Should package.json and the lock ever disagree, install without rewriting either.
                    Write-Warning 'npm ci failed (package-lock.json out of sync with package.json?); npm install --no-save instead.'
                    & npm install --no-save --no-audit --no-fund --loglevel=error
                    Invoke-Native 'npm install'
                }
            }
            finally { Pop-Location }
        }
        # Both iexec packages name their bin `iexec` and npm links whichever it meets last: pin 8.24.0 as iexec and
        # 9.0.1 as iexec9 (on Windows npm's own .cmd shims stay; the tests call the CLIs through node).
        if (-not $IsWindows) {
            $bin = Join-Path $modules '.bin'
            foreach ($link in @(@('iexec', '../iexec/dist/esm/cli/cmd/iexec.js'), @('iexec9', '../iexec9/dist/esm/cli/cmd/iexec.js'))) {
                $path = Join-Path $bin $link[0]
                Remove-Item -Force -ErrorAction SilentlyContinue $path
                [void](New-Item -ItemType SymbolicLink -Path $path -Target $link[1])
            }
        }
        $poco = Join-Path $node 'poco'
        if (-not (Test-Path (Join-Path $poco 'package/package.json'))) {
            # npm pack, not install: a plain install of @iexec/poco fails on its git dependencies.
            Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $poco
            [void](New-Item -ItemType Directory -Path $poco)
            Push-Location $poco
            try {
                & npm pack '@iexec/poco@6.1.0' --silent | Out-Null
                Invoke-Native 'npm pack @iexec/poco@6.1.0'
                & tar xzf 'iexec-poco-6.1.0.tgz'
                Invoke-Native 'tar'
                Remove-Item 'iexec-poco-6.1.0.tgz'
            }
            finally { Pop-Location }
        }
    }
    Invoke-Dotnet tool restore --verbosity quiet | Out-Null
    Invoke-Dotnet restore (Join-Path $root 'tests/Pester/Pester.Restore.csproj') --verbosity quiet | Out-Null
    Invoke-Dotnet restore $solution --verbosity quiet | Out-Null
}

# The Pester suite in its own pwsh, with a fresh home folder (the vault stand-in, saved defaults and keystores of a test
# run must not meet the user's) and plain-text output. dotnet and NuGet keep finding the restored tools and packages.
function Invoke-PesterSuite {
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $fresh = Join-Path ([IO.Path]::GetTempPath()) ('iexec-pester-home.' + [IO.Path]::GetRandomFileName())
    # The folders a user's home has: .NET reports a missing special folder as "" (tools then write into the working dir).
    foreach ($sub in '.local/share', '.config', '.cache', 'AppData/Roaming', 'AppData/Local') { [void](New-Item -ItemType Directory -Force -Path (Join-Path $fresh $sub)) }
    $set = [ordered]@{
        NUGET_PACKAGES = $packages
        DOTNET_CLI_HOME = if ($env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME } else { [Environment]::GetFolderPath('UserProfile') }
        NO_COLOR = '1'
        HOME = $fresh
        XDG_CONFIG_HOME = Join-Path $fresh '.config'
        XDG_DATA_HOME = Join-Path $fresh '.local/share'
        XDG_CACHE_HOME = Join-Path $fresh '.cache'
    }
    if ($IsWindows) {
        $set.USERPROFILE = $fresh
        $set.APPDATA = Join-Path $fresh 'AppData/Roaming'
        $set.LOCALAPPDATA = Join-Path $fresh 'AppData/Local'
    }
    $saved = @{}
    foreach ($name in $set.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $set[$name]) }
    try {
        $script = Join-Path $root 'tests/Pester/Invoke-Tests.ps1'
        if ($PwshPath) { & $PwshPath -NoProfile -NonInteractive -File $script @PesterArgument }
        else { & dotnet tool run pwsh -- -NoProfile -NonInteractive -File $script @PesterArgument }
        $code = $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $fresh
    }
    if ($code -ne 0) { throw "The Pester suite failed (exit code $code)." }
}

if (-not $NoBuild) { Initialize-Tools }
if ($Setup) { return }

if (-not $NoBuild) { Invoke-Dotnet build $solution -c $Configuration -nologo }
Write-Verbose "Module laid out at $(Join-Path $root 'out/IExecSecrets')"

if ($UpdateCmdletDocs) {
    $generated = Join-Path $root 'out/cmdlet-docs'
    $committed = Join-Path $root 'docs/cmdlets'
    if (-not (Test-Path (Join-Path $generated 'README.md'))) { throw "No generated cmdlet pages at ${generated}: build first." }
    [void](New-Item -ItemType Directory -Force -Path $committed)
    $names = @(Get-ChildItem $generated -Filter *.md -File | ForEach-Object Name)
    Get-ChildItem $committed -Filter *.md -File | Where-Object Name -NotIn $names | Remove-Item -Force
    Copy-Item (Join-Path $generated '*.md') $committed -Force
    Get-ChildItem $committed -Filter *.md -File
}

if ($Package) {
    $moduleDirectory = Join-Path $root 'out/IExecSecrets'
    if (-not (Test-Path (Join-Path $moduleDirectory 'IExecSecrets.psd1'))) { throw "No module laid out at ${moduleDirectory}: build first." }
    $version = (Import-PowerShellDataFile (Join-Path $moduleDirectory 'IExecSecrets.psd1')).ModuleVersion
    [void](New-Item -ItemType Directory -Force -Path $PackageDirectory)
    $nupkg = Join-Path $PackageDirectory "IExecSecrets.$version.nupkg"
    Remove-Item -Force -ErrorAction SilentlyContinue $nupkg
    Import-Module Microsoft.PowerShell.PSResourceGet -MinimumVersion 1.1.0
    Compress-PSResource -Path $moduleDirectory -DestinationPath $PackageDirectory
    if (-not (Test-Path $nupkg)) { throw "Compress-PSResource did not write $nupkg." }
    # Compress-PSResource tags the package PSModule only; add the command tags the PowerShell Gallery derives from the
    # manifest (PSIncludes_Cmdlet, PSCmdlet_<name>, PSCommand_<name>), which Find-PSResource -Command/-Type search.
    $manifest = Import-PowerShellDataFile (Join-Path $moduleDirectory 'IExecSecrets.psd1')
    $commandTags = @('PSIncludes_Cmdlet') + @($manifest.CmdletsToExport | ForEach-Object { "PSCmdlet_$_"; "PSCommand_$_" })
    Add-Type -AssemblyName System.IO.Compression
    $zip = [System.IO.Compression.ZipFile]::Open($nupkg, [System.IO.Compression.ZipArchiveMode]::Update)
    try {
        $entry = $zip.GetEntry('IExecSecrets.nuspec')
        $reader = [System.IO.StreamReader]::new($entry.Open())
        [xml] $nuspec = $reader.ReadToEnd()
        $reader.Dispose()
        $tags = $nuspec.package.metadata.GetElementsByTagName('tags')[0]
        $tags.InnerText = (@($tags.InnerText -split ' ' | Where-Object { $_ }) + $commandTags | Select-Object -Unique) -join ' '
        $entry.Delete()
        $writer = [System.IO.StreamWriter]::new($zip.CreateEntry('IExecSecrets.nuspec').Open(), [System.Text.UTF8Encoding]::new($false))
        $nuspec.Save($writer)
        $writer.Dispose()
    }
    finally { $zip.Dispose() }
    Get-Item $nupkg
}

if ($Test) { Invoke-Dotnet test $solution -c $Configuration --no-build -nologo }
if ($Test -or $Pester) { Invoke-PesterSuite }

if ($Tutorial) {
    $tutorial = Join-Path $root 'examples/tutorial.ps1'
    if (-not (Test-Path $tutorial)) { throw "The tutorial script $tutorial does not exist." }
    & $tutorial
}
