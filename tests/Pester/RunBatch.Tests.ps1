# Issue 10: one-shot secrets (-SecretValue) and pipelines of runs (one deal per piped input), on the devnet in real
# pwsh. Every run computes f(x) with the tutorial app; the results are read back from the saved archives.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:devnet, $script:work = Enter-TestDevNetWork
    # A requester of its own for this file (nonces), who also owns the app: the app order is its own.
    $script:requester = @($devnet.Accounts | Where-Object role -EQ 'requester')[4]
    Connect-IExecWallet -PrivateKey (New-TestSecureString $requester.privateKey) | Out-Null
    $appJs = Join-Path (Get-TestRepoRoot) 'enclave/js/app.js'
    $mrEnclave = [ordered]@{ framework = 'SCONE'; version = 'v5'; entrypoint = 'node /app/app.js'; heapSize = 1073741824; fingerprint = '2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609' }
    $script:app = (Deploy-IExecApp -Name ("batch-" + [guid]::NewGuid().ToString('N').Substring(0, 8)) -Multiaddr "file://$appJs" `
        -Checksum ('0x' + ('ab' * 32)) -MrEnclave $mrEnclave -Confirm:$false).Address
    # f(x) = 2x^3 + 0x^2 + 3x + 1
    Push-IExecAppSecret -App $app -Value (New-TestSecureString '2;0;3;1') -Confirm:$false | Out-Null
    function script:F([long] $x) { 2 * $x * $x * $x + 3 * $x + 1 }
    function script:Result([string] $folder) { Get-Content -Raw (Join-Path $folder 'result.txt') | ConvertFrom-Json }
}

AfterAll {
    Disconnect-IExecWallet -ErrorAction SilentlyContinue | Out-Null
    Exit-TestDevNetWork $devnet $work
}

Describe 'Invoke-IExecApp -SecretValue (one-shot requester secrets)' {
    It 'runs the same app three times with new values and gives three right results, under fresh names' {
        $names = @()
        foreach ($x in 3, 5, 11) {
            $out = Join-Path $work "oneshot-$x"
            $deal = Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{ 1 = (New-TestSecureString "$x") } -Watch -PollIntervalSeconds 0.2 -Force
            $deal.Succeeded | Should -BeTrue
            $deal | Save-IExecTaskResult -Path $out -Expand | Out-Null
            $result = Result (Join-Path $out $deal.TaskIds[0])
            $result.x | Should -Be $x
            $result.result | Should -Be (F $x)
            $deal.RequesterSecrets[1] | Should -Match '^oneshot-[0-9a-f]{32}$'
            $names += $deal.RequesterSecrets[1]
        }
        ($names | Sort-Object -Unique).Count | Should -Be 3
        # Each generated name now exists on the SMS, write-once like any requester secret.
        foreach ($name in $names) { (Test-IExecRequesterSecret -Name $name).IsSet | Should -BeTrue }
    }

    It 'pushes and signs nothing with -WhatIf, and shows the names it would use' {
        $before = (Get-IExecDeal -Requester $requester.address).Count
        $plan = Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{ 1 = (New-TestSecureString '7') } -WhatIf
        $plan.OneShotSecretNames | Should -HaveCount 1
        (Test-IExecRequesterSecret -Name $plan.OneShotSecretNames[0]).IsSet | Should -BeFalse
        (Get-IExecDeal -Requester $requester.address).Count | Should -Be $before
    }

    It 'refuses a plain string, an empty value and a slot given twice before anything is sent' {
        { Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{ 1 = 'plain' } -Force -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSecretValue*'
        { Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{ 1 = (New-TestSecureString '') } -Force -ErrorAction Stop } | Should -Throw -ErrorId 'EmptySecretValue*'
        { Invoke-IExecApp -App $app -Tag tee,scone -Secret @{ 1 = 'x' } -SecretValue @{ 1 = (New-TestSecureString '1') } -Force -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSecretMapping*'
    }

    It 'reads a one-shot value from the vault with -Vault, and never writes the value anywhere' {
        # A value that cannot appear by chance (f(x) still fits a JavaScript number and a long).
        $x = 73191
        Register-TestVault -Name RunVault -Secret @{ 'x-from-vault' = "$x" }
        $out = Join-Path $work 'oneshot-vault'
        $Error.Clear()
        # -Debug alone makes PowerShell inquire on every warning (the chain override's, here), which a
        # non-interactive host refuses; -WarningAction Continue keeps the warning in the captured streams.
        $shown = Get-HostText {
            Invoke-IExecApp -App $app -Tag tee,scone -SecretValue @{ 1 = 'x-from-vault' } -Vault RunVault -Watch -PollIntervalSeconds 0.2 -Force -Verbose -Debug -WarningAction Continue *>&1
        }
        $deal = @($shown.Output | Where-Object { $_ -is [IExecSecrets.Output.IExecDeal] })[0]
        $deal | Save-IExecTaskResult -Path $out -Expand | Out-Null
        # The app got the value: its own result holds x and f(x), and only there is the value expected.
        (Result (Join-Path $out $deal.TaskIds[0])).result | Should -Be (F $x)
        # Every stream (output, errors, warnings, verbose, debug, information), what the host showed, $Error, and
        # every file the run left in the work folder outside the result it was asked to save.
        ($shown.Output | ForEach-Object { $_ | Format-List * -Force | Out-String }) -join "`n" | Should -Not -Match "\b$x\b"
        $shown.Text | Should -Not -Match "\b$x\b"
        ($Error | ForEach-Object { "$_ $($_.Exception) $($_.ErrorDetails)" }) -join "`n" | Should -Not -Match "\b$x\b"
        $files = Get-ChildItem -Path $work -Recurse -File | Where-Object { -not $_.FullName.StartsWith($out) -and $_.Extension -ne '.zip' -and $_.FullName -notlike '*[\/]batch[\/]*' -and $_.FullName -notlike '*[\/]oneshot-*' }
        foreach ($file in $files) { Get-Content -Raw -LiteralPath $file.FullName | Should -Not -Match "\b$x\b" -Because $file.FullName }
    }
}

Describe 'Pipelines of runs: Import-Csv | Invoke-IExecApp' {
    It 'turns 50 CSV rows into 50 deals with bounded concurrency and 50 right results' {
        $rows = 1..50 | ForEach-Object { [pscustomobject]@{ x = 100 + $_ } }
        $csv = Join-Path $work 'inputs.csv'
        $rows | Export-Csv -Path $csv -NoTypeInformation
        $nonceBefore = [long](Invoke-RestMethod -Uri $devnet.Info.rpcUrl -Method Post -ContentType 'application/json' `
            -Body (@{ jsonrpc = '2.0'; id = 1; method = 'eth_getTransactionCount'; params = @($requester.address, 'latest') } | ConvertTo-Json)).result

        $deals = Import-Csv $csv | Invoke-IExecApp -App $app -Tag tee,scone -ThrottleLimit 8 -Force -Watch -PollIntervalSeconds 0.5 `
            -SecretValue { @{ 1 = (ConvertTo-SecureString $_.x -AsPlainText -Force) } }
        $saved = $deals | Save-IExecTaskResult -Path (Join-Path $work 'batch') -Expand

        $deals | Should -HaveCount 50
        ($deals.DealId | Sort-Object -Unique) | Should -HaveCount 50
        ($deals.InputIndex | Sort-Object) | Should -Be (0..49)
        $saved | Should -HaveCount 50
        foreach ($deal in $deals) {
            $deal.Succeeded | Should -BeTrue
            $x = [long]$rows[$deal.InputIndex].x
            $result = Result (Join-Path $work "batch/$($deal.TaskIds[0])")
            $result.x | Should -Be $x
            $result.result | Should -Be (F $x)
        }
        # One matchOrders per input: the nonce moved by exactly 50 (no duplicate, no gap).
        $nonceAfter = [long](Invoke-RestMethod -Uri $devnet.Info.rpcUrl -Method Post -ContentType 'application/json' `
            -Body (@{ jsonrpc = '2.0'; id = 1; method = 'eth_getTransactionCount'; params = @($requester.address, 'latest') } | ConvertTo-Json)).result
        ($nonceAfter - $nonceBefore) | Should -Be 50
    }

    It 'reports a bad input with its own error and runs the others' {
        $inputs = @(
            [pscustomobject]@{ SecretValue = @{ 1 = (New-TestSecureString '2') } }
            [pscustomobject]@{ SecretValue = @{ 1 = (New-TestSecureString '') } }
            [pscustomobject]@{ SecretValue = @{ 1 = (New-TestSecureString '4') } }
        )
        $deals = $inputs | Invoke-IExecApp -App $app -Tag tee,scone -Force -ErrorVariable failures -ErrorAction SilentlyContinue

        $deals | Should -HaveCount 2
        ($deals.InputIndex | Sort-Object) | Should -Be @(0, 2)
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'EmptySecretValue,*'
        $failures[0].TargetObject | Should -Be 'input 1'
    }
}
