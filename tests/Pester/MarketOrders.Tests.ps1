# Market orders as a user meets them in pwsh, on the devnet (whose market speaks iexec-market-api's challenge
# protocol): the developer publishes an app order with Publish-IExecAppOrder, a requester asks for the plan with
# Invoke-IExecApp -WhatIf in a new pwsh process and sees what would be signed (app, workerpool, prices) and an unsigned
# plan: no signature anywhere in the output, nothing sent.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    $script:devnet = Start-TestDevNet
    $script:project = New-TestDirectory
    Import-TestModule
    Push-Location $project
    try {
        Copy-TestDevNetChain -DevNet $devnet -Destination $project
        Connect-IExecWallet -PrivateKey $devnet.SecurePrivateKey('developer') | Out-Null
        $mrEnclave = '{"framework":"SCONE","version":"v5","entrypoint":"node /app/app.js","heapSize":1073741824,"fingerprint":"2d4b9efd066d0bb058b8da79bf8551be7d244779bc41d03a12201a4004779609"}'
        $script:app = (Deploy-IExecApp -Name "pester-orders-$([guid]::NewGuid().ToString('n').Substring(0, 8))" -Type DOCKER `
                -Multiaddr 'docker.io/example/pester-orders:1.0.0' -Checksum ('0x' + 'ab' * 32) -MrEnclave $mrEnclave -Confirm:$false).Address
        $script:published = Publish-IExecAppOrder -App $app -Tag tee,scone -Volume 3 -Confirm:$false
        Disconnect-IExecWallet
    }
    finally { Pop-Location }
}

AfterAll {
    Stop-TestDevNet $devnet
    Remove-TestDirectory $project
}

Describe 'Publish-IExecAppOrder on a market with the challenge protocol' {
    It 'publishes the signed order under the login challenge' {
        $published.OrderHash | Should -Match '^0x[0-9a-f]{64}$'
        $book = Invoke-RestMethod "$($devnet.Info.marketUrl)/apporders/$($published.OrderHash)?chainId=134"
        $book.status | Should -Be 'open'
        $book.signer | Should -Be $devnet.Address('developer')
    }
}

Describe 'Invoke-IExecApp -WhatIf in a new pwsh' {
    BeforeAll {
        function Get-RequesterNonce {
            (Invoke-RestMethod -Uri $devnet.Info.rpcUrl -Method Post -ContentType 'application/json' `
                -Body (@{ jsonrpc = '2.0'; id = 1; method = 'eth_getTransactionCount'; params = @($devnet.Address('requester'), 'pending') } | ConvertTo-Json)).result
        }
        $script:nonceBefore = Get-RequesterNonce
        $script:result = Invoke-TestPwsh -HomeDirectory (New-TestHome) -WorkingDirectory $project `
            -Environment @{ IEXEC_TEST_KEY = $devnet.PrivateKey('requester'); IEXEC_TEST_APP = $app } -Script @"
Import-Module '$(Get-TestManifestPath)'
`$key = [System.Security.SecureString]::new(); foreach (`$c in `$env:IEXEC_TEST_KEY.ToCharArray()) { `$key.AppendChar(`$c) }
Connect-IExecWallet -PrivateKey `$key | Out-Null
`$plan = Invoke-IExecApp -App `$env:IEXEC_TEST_APP -Tag tee,scone -Arguments 2 -WhatIf
'JSON:' + (`$plan | ConvertTo-Json -Depth 8 -Compress)
"@
        $script:json = ($result.Output | Where-Object { $_.StartsWith('JSON:') }) -replace '^JSON:', ''
        $script:text = $result.Output -join "`n"
    }

    It 'runs without error and writes the plan' {
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $json | Should -Not -BeNullOrEmpty
        ($json | ConvertFrom-Json).RequestOrder.Resource | Should -Be $app
    }

    It 'shows what would be signed: app, workerpool and prices' {
        $text | Should -Match ([regex]::Escape("What if: Performing the operation `"Sign the orders and run the app (matchOrders)`" on target `"app $app (Market order, 0 nRLC, max 0 nRLC)"))
        $text | Should -Match ([regex]::Escape("workerpool $($devnet.Info.workerpool) (Market order, 0 nRLC, max 0 nRLC)"))
    }

    It 'shows the worst-case transaction fee in the chain''s currency' {
        $text | Should -Match 'matchOrders\)" on target ".*; at most 0 xRLC in fees \(\d+ gas at 0 wei, cap from the built-in cap of chain 134\)'
    }

    It 'contains no signature anywhere' {
        $json | Should -Match 'PredictedDealId'
        $json | Should -Not -Match '0x[0-9a-fA-F]{130}'
        $json | Should -Not -Match '"[Ss]ign"\s*:'
        # Not just the plan object: nothing the process printed (the -WhatIf text included) or wrote to stderr holds a
        # 65-byte signature, with or without 0x (issue 17: only the JSON was checked).
        $text | Should -Match 'What if:'
        $text | Should -Not -Match '[0-9a-fA-F]{130}'
        "$($result.Error)" | Should -Not -Match '[0-9a-fA-F]{130}'
    }

    It 'sent nothing: no deal, no transaction from the requester' {
        Import-TestModule
        Push-Location $project
        try {
            $plan = $json | ConvertFrom-Json
            Get-IExecDeal -DealId $plan.PredictedDealId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { Pop-Location }
        Get-RequesterNonce | Should -Be $nonceBefore
    }
}

Describe 'Deploy-IExecApp -WhatIf and Revoke-IExecOrder -WhatIf in a new pwsh' {
    BeforeAll {
        $order = [IExecSecrets.Core.Orders.AnyOrder]::Of($published.Order).ToJson($true)
        $script:result = Invoke-TestPwsh -HomeDirectory (New-TestHome) -WorkingDirectory $project `
            -Environment @{ IEXEC_TEST_KEY = $devnet.PrivateKey('developer'); IEXEC_TEST_ORDER = $order } -Script @"
Import-Module '$(Get-TestManifestPath)'
`$key = [System.Security.SecureString]::new(); foreach (`$c in `$env:IEXEC_TEST_KEY.ToCharArray()) { `$key.AppendChar(`$c) }
Connect-IExecWallet -PrivateKey `$key | Out-Null
Deploy-IExecApp -Name "pester-whatif-$([guid]::NewGuid().ToString('n').Substring(0, 8))" -Multiaddr docker.io/example/whatif:1.0.0 -Checksum ('0x' + 'cd' * 32) -MaxFeePerGas '2 gwei' -WhatIf | Out-Null
Revoke-IExecOrder -Order `$env:IEXEC_TEST_ORDER -WhatIf
"@
        $script:text = $result.Output -join "`n"
    }

    It 'runs without error' {
        $result.ExitCode | Should -Be 0 -Because $result.Error
    }

    It 'shows the worst case of the deploy: the cap is 0 on a chain whose gas price is forced to 0' {
        $text | Should -Match 'What if: Performing the operation "Deploy app" on target "app .pester-whatif-.* at most 0 xRLC in fees \(\d+ gas at 0 wei, cap from -MaxFeePerGas\)'
    }

    It 'shows which order would be cancelled, its owner and the worst case, and cancels nothing' {
        $text | Should -Match ('What if: Performing the operation "Cancel the order on chain \(manage\*Order CLOSE\)" on target "apporder ' + [regex]::Escape($published.OrderHash) + ' for ' + [regex]::Escape($app) + '.*owned by ' + [regex]::Escape($devnet.Address('developer')) + '.*at most 0 xRLC in fees')
        $rpc = [IExecSecrets.Core.Chain.JsonRpcClient]::new([uri]$devnet.Info.rpcUrl)
        try {
            $hub = [IExecSecrets.Core.PoCo.PoCoHub]::new($rpc, [IExecSecrets.Core.Crypto.EthAddress]::Parse($devnet.Info.hub))
            $consumed = $hub.ViewConsumedAsync([IExecSecrets.Core.Crypto.Hex]::Decode($published.OrderHash), [System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
            "$consumed" | Should -Be '0'
        }
        finally { $rpc.Dispose() }
    }
}
