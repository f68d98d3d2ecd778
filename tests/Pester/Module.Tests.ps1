# The module as a user meets it in pwsh: import from the built layout, what it exports, Remove-Module and re-import,
# and how long an import takes in a new pwsh (measured and printed, never asserted: speed lives in bench/).

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:manifest = Import-PowerShellDataFile (Get-TestManifestPath)
}

Describe 'Import-Module IExecSecrets' {
    BeforeAll {
        $script:module = Import-TestModule -PassThru
    }

    It 'imports the built module at out/IExecSecrets with the manifest version' {
        $module.Name | Should -Be 'IExecSecrets'
        $module.Version | Should -Be ([version]$manifest.ModuleVersion)
        $module.ModuleBase | Should -Be (Split-Path (Get-TestManifestPath))
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $exported = @((Get-Command -Module IExecSecrets -CommandType Cmdlet).Name | Sort-Object)
        $exported | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'resolves a built-in chain profile without any network' {
        $chain = Get-IExecChain -Name bellecour
        $chain.ChainId | Should -Be 134
    }
}

Describe 'Remove-Module and re-import' {
    It 'removes every command and brings them back on re-import' {
        Import-TestModule
        Remove-Module IExecSecrets
        Get-Module IExecSecrets | Should -BeNullOrEmpty
        Get-Command Get-IExecChain -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Import-TestModule
        (Get-IExecChain -Name bellecour).ChainId | Should -Be 134
    }
}

Describe 'Import time in a new pwsh' {
    It 'imports in a fresh process (time printed, not asserted)' {
        $result = Invoke-TestPwsh -HomeDirectory (New-TestHome) -Script @"
`$watch = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module '$(Get-TestManifestPath)'
`$watch.Stop()
'{0:0.0}' -f `$watch.Elapsed.TotalMilliseconds
(Get-Command -Module IExecSecrets).Count
"@
        $result.ExitCode | Should -Be 0 -Because $result.Error
        [int]$result.Output[1] | Should -Be $manifest.CmdletsToExport.Count
        Write-Host "    Import-Module IExecSecrets in a new pwsh: $($result.Output[0]) ms"
    }
}
