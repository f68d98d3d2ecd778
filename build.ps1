#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and runs the tutorial of the IExecSecrets module (a thin wrapper over dotnet).

.DESCRIPTION
    Builds the solution; the build of src/IExecSecrets lays out the importable module at out/IExecSecrets/
    (manifest, assemblies, en-US help). -Test runs every xunit project with dotnet test, then the Pester suite
    (tests/Pester, through eng/pester.sh). -Tutorial runs the README walk-through against the local devnet.

.PARAMETER Configuration
    Debug or Release (default Release).

.PARAMETER Clean
    Removes out/ and the bin/obj folders of the solution before building.

.PARAMETER Test
    Runs the tests after building.

.PARAMETER Tutorial
    Runs examples/tutorial.ps1 against the local devnet after building.

.PARAMETER Package
    Packs the laid-out module (out/IExecSecrets) into a PSResourceGet-installable IExecSecrets.<version>.nupkg in
    -PackageDirectory with Compress-PSResource (PSResourceGet 1.2, shipped with pwsh 7.6); the manifest supplies the
    package metadata (description, authors, tags, project and licence URIs, release notes). Writes the package file.

.PARAMETER PackageDirectory
    Where -Package writes the .nupkg (default out/packages).

.PARAMETER NoBuild
    Skips the set-up and the build: -Package packs what out/IExecSecrets already holds.

.EXAMPLE
    ./build.ps1 -Test
    Builds in Release and runs every test project.

.EXAMPLE
    ./build.ps1 -Package
    Builds, then writes out/packages/IExecSecrets.0.1.0.nupkg; publish it with Publish-PSResource -NupkgPath, or
    Register-PSResourceRepository -Name Local -Uri ./out/packages -Trusted; Install-PSResource IExecSecrets -Repository Local.

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
    [switch] $Tutorial,
    [switch] $Package,
    [string] $PackageDirectory = (Join-Path $PSScriptRoot 'out/packages'),
    [switch] $NoBuild
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

if (-not $NoBuild -and (Test-Path (Join-Path $root 'eng/setup.sh'))) {
    & bash (Join-Path $root 'eng/setup.sh')
    if ($LASTEXITCODE -ne 0) { throw "eng/setup.sh failed with exit code $LASTEXITCODE" }
}

if (-not $NoBuild) { Invoke-Dotnet build $solution -c $Configuration -nologo }
Write-Verbose "Module laid out at $(Join-Path $root 'out/IExecSecrets')"

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

if ($Test) {
    Invoke-Dotnet test $solution -c $Configuration --no-build -nologo
    # The Pester suite in the pinned pwsh 7.6.9 with Pester 5.7.1 from the NuGet cache and a fresh HOME.
    & bash (Join-Path $root 'eng/pester.sh')
    if ($LASTEXITCODE -ne 0) { throw "The Pester suite failed (exit code $LASTEXITCODE)." }
}

if ($Tutorial) {
    $tutorial = Join-Path $root 'examples/tutorial.ps1'
    if (-not (Test-Path $tutorial)) { throw "The tutorial script $tutorial does not exist." }
    & $tutorial
}
