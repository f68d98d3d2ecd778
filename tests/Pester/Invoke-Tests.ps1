#Requires -Version 7.4

<#
.SYNOPSIS
    Runs the Pester 5 suite (tests/Pester/*.Tests.ps1) with a CI configuration and prints one
    "Pester: N passed, N failed, N skipped" line; the exit code is 0 only when nothing failed.

.DESCRIPTION
    Pester 5.7.1 is imported from the NuGet package folder, where eng/setup.sh restored it
    (tests/Pester/Pester.Restore.csproj); it is never installed into a module folder nor committed.
    Use eng/pester.sh, which also gives the run a fresh HOME and plain-text output.

.PARAMETER Path
    Test files or folders (default: this folder).

.PARAMETER FullName
    Only the tests whose full name matches one of these wildcard patterns ("Describe Context It").

.PARAMETER TestResultPath
    Also writes an NUnit XML report there.

.EXAMPLE
    bash eng/pester.sh tests/Pester/Module.Tests.ps1
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0, ValueFromRemainingArguments)] [string[]] $Path = @($PSScriptRoot),
    [string[]] $FullName = @(),
    [string] $TestResultPath,
    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')] [string] $Output = 'Detailed'
)

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'

$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$pester = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
if (-not (Test-Path $pester)) {
    throw "Pester 5.7.1 is not restored at ${pester}: run 'bash eng/setup.sh' (it restores tests/Pester/Pester.Restore.csproj)."
}
Import-Module $pester -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = $Output
$configuration.Output.RenderMode = 'Plaintext'
$configuration.Should.ErrorAction = 'Stop'
if ($FullName) { $configuration.Filter.FullName = $FullName }
if ($TestResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = $TestResultPath
}

$result = Invoke-Pester -Configuration $configuration
# A failed BeforeAll/AfterAll or a file that does not parse fails the run even when it has no failed test of its own.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
# Skipped and not-run tests are not passes; they are reported as skipped.
$skipped = $result.SkippedCount + $result.NotRunCount
"Pester: $($result.PassedCount) passed, $failed failed, $skipped skipped"
# A run that passed nothing (a filter matching no test, a missing file) is a failure too, not a silent success.
if ($failed -gt 0 -or $result.Result -ne 'Passed' -or $result.PassedCount -eq 0) { exit 1 }
exit 0
