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

    It 'takes -Chain as -Name, the way every network command names a chain, and never as -ChainConfigPath by prefix' {
        (Get-IExecChain -Chain bellecour).ChainId | Should -Be 134
        { Get-IExecChain -Chain no-such-chain -ErrorAction Stop } | Should -Throw -ErrorId 'ChainNotFound*'
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
    It 'imports in a fresh process (times printed, not asserted: bench/ measures speed)' {
        $empty = New-TestDirectory -Prefix 'iexec-empty-module'
        Set-Content -Path (Join-Path $empty 'Empty.psd1') -Value "@{ ModuleVersion = '1.0.0' }"
        # An empty manifest first: an interactive pwsh has paid the module system's warm-up at start-up, -Command has not.
        $result = Invoke-TestPwsh -HomeDirectory (New-TestHome) -ArgumentList @((Join-Path $empty 'Empty.psd1'), (Get-TestManifestPath)) -Script @'
$p = [System.Diagnostics.Process]::GetCurrentProcess()
$w = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module $args[0]; $warmUp = $w.Elapsed.TotalMilliseconds
$p.Refresh(); $cpu = $p.TotalProcessorTime
$w.Restart(); Import-Module $args[1]; $w.Stop(); $p.Refresh()
'{0:0.0} {1:0.0} {2:0.0}' -f $warmUp, $w.Elapsed.TotalMilliseconds, ($p.TotalProcessorTime - $cpu).TotalMilliseconds
(Get-Command -Module IExecSecrets).Count
'@
        Remove-TestDirectory $empty
        $result.ExitCode | Should -Be 0 -Because $result.Error
        [int]$result.Output[1] | Should -Be $manifest.CmdletsToExport.Count
        $warmUp, $wall, $cpu = $result.Output[0] -split ' '
        Write-Host "    Import-Module IExecSecrets in a new pwsh: $wall ms ($cpu ms CPU), after the module system's warm-up of $warmUp ms"
    }
}
