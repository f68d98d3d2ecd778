# The day-two commands in real pwsh against the local iExec network, whose worker leaves the tasks it fails ACTIVE for
# their requester to claim (as a real workerpool does) and whose clock a test moves (IExecSecrets.DevNet clock):
# Invoke-IExecClaim gives a failed task's price back once its deadline has passed, Get-IExecAccount, Add-IExecStake
# and Remove-IExecStake move the stake the official iexec CLI 8.24 shows (the oracle: `iexec account show`), and
# Unpublish-IExecAppOrder takes orders out of `iexec orderbook app`. Also the README's day-two lines.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:devnet, $script:work = Enter-TestDevNetWork -LeaveFailedTasks
    $script:iexec = Join-Path (Get-TestRepoRoot) 'tools/node/node_modules/.bin/iexec'
    $script:developer = @($devnet.Accounts | Where-Object role -EQ developer)[0]
    $script:requester = @($devnet.Accounts | Where-Object role -EQ requester)[1]

    # `iexec account show <address>`: the stake and locked stake as the official CLI reads them.
    function Get-CliAccount([string] $Address) {
        $shown = & $iexec account show $Address --chain devnet --raw --quiet | ConvertFrom-Json
        if ($LASTEXITCODE -ne 0 -or -not $shown.ok) { throw "iexec account show failed: $shown" }
        [pscustomobject]@{ Stake = [bigint]::Parse($shown.balance.stake); Locked = [bigint]::Parse($shown.balance.locked) }
    }

    function Connect-As($Account) { Connect-IExecWallet -PrivateKey (New-TestSecureString $Account.privateKey) | Out-Null }

    # The worker's report of a task (served by the devnet market), once it has given up on it or completed it.
    function Wait-WorkerReport([string] $TaskId) {
        $deadline = [DateTime]::UtcNow.AddMinutes(3)
        do {
            Start-Sleep -Milliseconds 200
            # 404 (null) until the worker has taken the task; strict mode refuses `$null.state`, so test for it first.
            $report = try { (Invoke-RestMethod "$($devnet.Info.marketUrl)/tasks/$TaskId").task } catch { $null }
        } until (($null -ne $report -and $report.state -in 'FAILED', 'COMPLETED') -or [DateTime]::UtcNow -gt $deadline)
        $report
    }

    # The developer's tutorial app, whose developer secret makes it exit 1 (the worker fails its tasks), priced 7 nRLC
    # a task on the market.
    Connect-As $developer
    $name = 'daytwo-' + [guid]::NewGuid().ToString('n').Substring(0, 10)
    $mrEnclave = '{"framework":"SCONE","version":"v5","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}'
    $multiaddr = 'file://' + (Join-Path (Get-TestRepoRoot) 'enclave/js/app.js')
    $script:app = (Deploy-IExecApp -Name $name -Multiaddr $multiaddr -Checksum ('0x' + ([guid]::NewGuid().ToString('n') * 2)) -MrEnclave $mrEnclave -Confirm:$false).Address
    Push-IExecAppSecret -App $app -Value (New-TestSecureString 'not;numbers;at;all') -Confirm:$false | Out-Null
    Publish-IExecAppOrder -App $app -Tag tee,scone -Price 7 -Volume 10 -Confirm:$false | Out-Null
}

AfterAll {
    Disconnect-IExecWallet -ErrorAction SilentlyContinue
    Exit-TestDevNetWork $devnet $work
}

Describe 'Invoke-IExecClaim on a task the worker failed' {
    It 'refuses it before its deadline, then returns its price to the requester''s stake once the clock has passed it' {
        Connect-As $requester
        $deal = Invoke-IExecApp -App $app -Tag tee,scone -AppMaxPrice 7 -Force
        $taskId = $deal.TaskIds[0]
        (Wait-WorkerReport $taskId).state | Should -Be 'FAILED'
        (Get-IExecTask $taskId).StatusName | Should -Be 'ACTIVE'
        $before = Get-CliAccount $requester.address

        { $deal | Invoke-IExecClaim -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ClaimTooEarly,IExecSecrets.Commands.InvokeIExecClaimCommand'
        Move-TestDevNetClock -DevNet $devnet -Expire $taskId | Should -Match '^deadline '
        $claim = Get-IExecTask $taskId | Invoke-IExecClaim -Confirm:$false
        $after = Get-CliAccount $requester.address

        $claim.Kind | Should -Be 'Task'
        $claim.TaskIds | Should -Be @($taskId)
        $claim.Refunded | Should -Be 7
        $after.Stake | Should -Be ($before.Stake + 7)
        $after.Locked | Should -Be ($before.Locked - 7)
        (Get-IExecTask $taskId).StatusName | Should -Be 'FAILED'
        { Invoke-IExecClaim -TaskId $taskId -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'TaskAlreadyClaimed,IExecSecrets.Commands.InvokeIExecClaimCommand'
    }

    It 'claims what the README pipes in: the wallet''s deals that did not succeed' {
        Connect-As $requester
        $deal = Invoke-IExecApp -App $app -Tag tee,scone -AppMaxPrice 7 -Force
        # Once the worker has left the task (so it does not initialise it while it is claimed), its deadline passes.
        (Wait-WorkerReport $deal.TaskIds[0]).state | Should -Be 'FAILED'
        Move-TestDevNetClock -DevNet $devnet -Expire $deal.DealId | Out-Null
        $before = Get-CliAccount $requester.address

        # README: Get-IExecDeal -Requester (Get-IExecWallet).Address | Where-Object { -not $_.Succeeded } | Invoke-IExecClaim
        $claims = Get-IExecDeal -Requester (Get-IExecWallet).Address | Where-Object { -not $_.Succeeded } |
            Invoke-IExecClaim -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused

        @($claims.DealId) | Should -Contain $deal.DealId
        ($claims | Measure-Object -Property Refunded -Sum).Sum | Should -Be 7
        (Get-CliAccount $requester.address).Stake | Should -Be ($before.Stake + 7)
        # The first test's deal was claimed already: nothing left in it.
        @($refused.FullyQualifiedErrorId) | Should -Contain 'NothingToClaim,IExecSecrets.Commands.InvokeIExecClaimCommand'
    }
}

Describe 'Get-IExecAccount, Add-IExecStake and Remove-IExecStake' {
    It 'show and move the stake iexec account show shows' {
        Connect-As $requester
        $cli = Get-CliAccount $requester.address

        # README: Get-IExecAccount
        $account = Get-IExecAccount
        # README: Add-IExecStake -Amount '5 RLC' ; Remove-IExecStake -Amount '2.5 RLC'
        $added = Add-IExecStake -Amount '5 RLC' -Confirm:$false ; $removed = Remove-IExecStake -Amount '2.5 RLC' -Confirm:$false

        $account.Stake | Should -Be $cli.Stake
        $account.Locked | Should -Be $cli.Locked
        $account.Escrow | Should -Be 'Native'
        $added.Stake | Should -Be ($cli.Stake + 5000000000)
        $removed.Stake | Should -Be ($cli.Stake + 2500000000)
        (Get-CliAccount $requester.address).Stake | Should -Be ($cli.Stake + 2500000000)
        ($account | Format-Table | Out-String) | Should -Match ([regex]::Escape([IExecSecrets.Core.PoCo.RlcAmount]::FormatRlc($cli.Stake)))
    }

    It 'shows the worst-case fee in -WhatIf and sends nothing' {
        Connect-As $requester
        $before = Get-IExecAccount
        $result = Invoke-TestPwsh -HomeDirectory (New-TestHome) -WorkingDirectory $work -Environment @{ IEXEC_TEST_KEY = $requester.privateKey } -Script @"
Import-Module '$(Get-TestManifestPath)'
`$key = [System.Security.SecureString]::new(); foreach (`$c in `$env:IEXEC_TEST_KEY.ToCharArray()) { `$key.AppendChar(`$c) }
Connect-IExecWallet -PrivateKey `$key | Out-Null
Add-IExecStake -Amount '1 RLC' -WhatIf
Remove-IExecStake -Amount 5 -WhatIf
"@
        $text = $result.Output -join "`n"

        $result.ExitCode | Should -Be 0 -Because $result.Error
        $text | Should -Match ('What if: Performing the operation "Deposit \(hub deposit\(\) with the amount in the chain''s coin\)" on target "1.0 RLC \(1000000000 nRLC\) from the wallet ' + [regex]::Escape($requester.address) + '.* at most 0 xRLC in fees \(100000 gas at 0 wei')
        $text | Should -Match 'What if: Performing the operation "Withdraw \(hub withdraw\)" on target "0.000000005 RLC \(5 nRLC\) from the iExec account of .* at most 0 xRLC in fees'
        (Get-IExecAccount).Stake | Should -Be $before.Stake
    }
}

Describe 'Unpublish-IExecAppOrder' {
    It 'takes the wallet''s orders out of iexec orderbook app, one piped order or all of them' {
        Connect-As $developer
        $orders = 1..3 | ForEach-Object { Publish-IExecAppOrder -App $app -Tag tee,scone -Volume $_ -Confirm:$false }
        $listed = (& $iexec orderbook app $app --tag tee,scone --chain devnet --raw --quiet | ConvertFrom-Json).appOrders.orderHash
        foreach ($order in $orders) { $listed | Should -Contain $order.OrderHash }

        # README: Get-IExecAppOrder -App $app | Where-Object Signer -eq (Get-IExecWallet).Address | Unpublish-IExecAppOrder
        $one = Get-IExecAppOrder -App $app | Where-Object Signer -eq (Get-IExecWallet).Address | Select-Object -First 1 | Unpublish-IExecAppOrder -Confirm:$false
        $afterOne = (& $iexec orderbook app $app --tag tee,scone --chain devnet --raw --quiet | ConvertFrom-Json).appOrders.orderHash
        # The last test of the file: the devnet's own workerpool order may go too.
        $poolOrder = Get-IExecWorkerpoolOrder -Workerpool $devnet.Info.workerpool -MinTag tee,scone | Select-Object -First 1
        # README: Unpublish-IExecAppOrder -App $app -All ; Unpublish-IExecWorkerpoolOrder -OrderHash 0x…
        $rest = Unpublish-IExecAppOrder -App $app -All -Confirm:$false
        Connect-IExecWallet -PrivateKey $devnet.SecurePrivateKey('workerpool') | Out-Null
        $pool = Unpublish-IExecWorkerpoolOrder -OrderHash $poolOrder.OrderHash -Confirm:$false
        $afterAll = (& $iexec orderbook app $app --tag tee,scone --chain devnet --raw --quiet | ConvertFrom-Json).appOrders
        $poolsLeft = (& $iexec orderbook workerpool $devnet.Info.workerpool --chain devnet --raw --quiet | ConvertFrom-Json).workerpoolOrders

        $one.Kind | Should -Be 'apporder'
        $afterOne | Should -Not -Contain $one.OrderHash
        @($rest).Count | Should -BeGreaterOrEqual 2
        $afterAll | Should -BeNullOrEmpty
        $pool.OrderHash | Should -Be $poolOrder.OrderHash
        @($poolsLeft | ForEach-Object { $_.orderHash }) | Should -Not -Contain $poolOrder.OrderHash
        ($one | Format-Table | Out-String) | Should -Match ([regex]::Escape($one.OrderHash.Substring(0, 40)))  # the table cuts the hash to its width
    }
}
