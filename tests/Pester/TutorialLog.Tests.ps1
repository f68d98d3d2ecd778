# Issue 15: the main job's log. eng/tutorial.sh runs examples/tutorial.ps1 in pwsh with its output going to a file
# or a pipe, which pwsh formats 80 columns wide: the log must show every id, address and hash whole on one line, the
# deployed app's address and multiaddr on lines of their own, and the mrenclave as readable text (not the cut
# dictionary {[framework, SCONE], …} nor a type name). Here the walk-through runs as eng/tutorial.sh runs it without
# Docker (the file:// app), in a child pwsh whose output is read back as the log.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:devnet = Start-TestDevNet
    $script:work = New-TestDirectory -Prefix 'iexec-tutorial-log'
    $script:width = (Invoke-TestPwsh -Script '$Host.UI.RawUI.BufferSize.Width').Output
    $script:run = Invoke-TestPwsh -Script '& $args[0] -DevNetDirectory $args[1] -WorkDirectory $args[2] -ModulePath $args[3]' -HomeDirectory (New-TestHome) `
        -ArgumentList @((Join-Path (Get-TestRepoRoot) 'examples/tutorial.ps1'), $devnet.Directory, $work, (Get-TestManifestPath))
    $script:log = @($run.Output)
    $script:text = $log -join "`n"
    # What the walk-through deployed, from the files it left (deployed.json) and the app file itself.
    $script:app = (Get-Content -Raw (Join-Path $work 'deployed.json') | ConvertFrom-Json -AsHashtable).app[[string]$devnet.Info.chainId]
    $appFile = Join-Path (Get-TestRepoRoot) 'enclave/js/app.js'
    $script:multiaddr = [System.Uri]::new($appFile).AbsoluteUri
    $script:fingerprint = (Get-FileHash -Algorithm SHA256 -LiteralPath $appFile).Hash.ToLowerInvariant()
}

AfterAll {
    Stop-TestDevNet $devnet
    Remove-TestDirectory $work
}

Describe 'The main job''s log' {
    It 'is written 80 columns wide and the walk-through succeeds' {
        $width | Should -Be 80 -Because 'pwsh formats output going to a file or a pipe for 80 columns'
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $log[-1] | Should -BeExactly 'The enclave app''s result equals f(x) computed here from the pushed coefficients and x.'
    }

    It 'shows every id, address and hash whole on one line' {
        $tokens = @([regex]::Matches($text, '0x[0-9a-fA-F]+'))
        $tokens.Count | Should -BeGreaterThan 10
        foreach ($token in $tokens) { $token.Value.Length | Should -BeIn @(42, 66) -Because "no id, address or hash is cut or wrapped ($($token.Value))" }
        $text | Should -Not -Match '0x[0-9a-fA-F]*…' -Because 'no id is cut'
    }

    It 'shows the deployed app''s address, transaction, multiaddr, checksum and mrenclave on lines of their own' {
        $app | Should -Match '^0x[0-9a-fA-F]{40}$'
        $log | Should -Contain ($log | Where-Object { $_ -match "^Deployed app secret-polynomial-js-[0-9a-f]{8} at $app in transaction 0x[0-9a-f]{64}$" })
        $log | Should -Contain "Multiaddr: $multiaddr"
        $log | Should -Contain "Checksum: 0x$fingerprint"
        $mrEnclaveLine = @($log | Where-Object { $_ -like 'MrEnclave: *' })
        $mrEnclaveLine.Count | Should -Be 1
        $mrEnclave = $mrEnclaveLine[0].Substring('MrEnclave: '.Length) | ConvertFrom-Json
        ($mrEnclave.framework, $mrEnclave.entrypoint, $mrEnclave.fingerprint) | Should -Be @('SCONE', 'node /app/app.js', $fingerprint)
        # The app's own table row: its address whole beside its framework.
        $log | Should -Contain ($log | Where-Object { $_ -match "^$app\s+scone\s+secret-polynomial-js-" })
    }

    It 'shows the wallet once, the deal and its task whole, and nothing as a dictionary or a type name' {
        @($log | Where-Object { $_ -match '^0x[0-9a-fA-F]{40}\s+Keystore\s+(True|False)$' }) | Should -HaveCount 1 -Because 'one row: the wallet as connected'
        $log | Should -Contain ($log | Where-Object { $_ -match '^0x[0-9a-fA-F]{40}\s+Keystore\s+True$' })
        @($log | Where-Object { $_ -match '^\s+1 0x[0-9a-f]{64}$' }) | Should -HaveCount 1 -Because 'the deal table shows its volume and its id whole'
        $log | Should -Contain ($log | Where-Object { $_ -match '^Task 0x[0-9a-f]{64}: COMPLETED$' })
        $text | Should -Not -Match '\{\[|IExecSecrets\.|System\.'
    }

    It 'never shows the coefficients' {
        $text | Should -Not -Match ([regex]::Escape('1;2;3;4'))
    }
}
