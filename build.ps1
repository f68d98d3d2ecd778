#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and runs the tutorial of the IExecSecrets module (a thin wrapper over dotnet).

.DESCRIPTION
    Builds the solution; the build of src/IExecSecrets lays out the importable module at out/IExecSecrets/
    (manifest, assemblies, en-US help). -Test runs every xunit project with dotnet test, then the Pester tests
    under tests/Pester when Pester 5 is installed. -Tutorial runs the README walk-through against the local devnet.

.PARAMETER Configuration
    Debug or Release (default Release).

.PARAMETER Clean
    Removes out/ and the bin/obj folders of the solution before building.

.PARAMETER Test
    Runs the tests after building.

.PARAMETER Tutorial
    Runs examples/tutorial.ps1 against the local devnet after building.

.EXAMPLE
    ./build.ps1 -Test
    Builds in Release and runs every test project.

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
    [switch] $Tutorial
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = Join-Path $root 'IExecSecrets.sln'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

if ($Clean) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
    Invoke-Dotnet clean $solution -c $Configuration -nologo
}

if (Test-Path (Join-Path $root 'eng/setup.sh')) {
    & bash (Join-Path $root 'eng/setup.sh')
    if ($LASTEXITCODE -ne 0) { throw "eng/setup.sh failed with exit code $LASTEXITCODE" }
}

Invoke-Dotnet build $solution -c $Configuration -nologo
Write-Verbose "Module laid out at $(Join-Path $root 'out/IExecSecrets')"

if ($Test) {
    Invoke-Dotnet test $solution -c $Configuration --no-build -nologo
    $pesterTests = Join-Path $root 'tests/Pester'
    if ((Test-Path $pesterTests) -and (Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0')) {
        Import-Module Pester -MinimumVersion 5.0
        Invoke-Pester -Path $pesterTests -Output Detailed -CI
    }
    else {
        Write-Verbose 'Pester 5 or tests/Pester not found; xunit tests only.'
    }
}

if ($Tutorial) {
    $tutorial = Join-Path $root 'examples/tutorial.ps1'
    if (-not (Test-Path $tutorial)) { throw "The tutorial script $tutorial does not exist." }
    & $tutorial
}
