# PowerShell manners as a user meets them in real pwsh (issue 8, item 7, and the offline parts of item 6): empty
# values, hosts that cannot prompt, Remove-Module, -ErrorAction, tab completion, parameter names, many deal ids,
# deals piped to Save-IExecTaskResult and a node that stays down under Wait-IExecTask -TimeoutSec. No devnet: every
# case here fails before the network or talks to a port nobody listens on.

BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
    Import-TestModule
    $script:testKey = '0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
    $script:testAddress = '0xFCAd0B19bB29D4674531d6f115237E16AfCE377c'

    # A loopback port that accepts connections and counts them, so "before any request" can be checked.
    function New-CountingListener {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $listener
    }

    # A loopback port with nothing behind it (a node that is down).
    function Get-ClosedPort {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $port = $listener.LocalEndpoint.Port
        $listener.Stop()
        $port
    }

    # A project folder whose chain.json sends chain "down" (id 134) to a port nobody listens on.
    function New-DownChainProject {
        $folder = New-TestDirectory -Prefix 'iexec-down'
        $url = "http://127.0.0.1:$(Get-ClosedPort)"
        $json = '{"default":"down","chains":{"down":{"id":"134","host":"URL","hub":"0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f","sms":{"scone":"URL"},"iexecGateway":"URL","ipfsGateway":"URL"}}}'
        Set-Content -Path (Join-Path $folder 'chain.json') -Value $json.Replace('URL', $url)
        $folder
    }

    # What a child pwsh needs, passed in its environment: the key never appears on a command line.
    function Get-ChildEnvironment {
        @{ TEST_MANIFEST = Get-TestManifestPath; TEST_KEY = $testKey; TEST_SMS = "http://127.0.0.1:$(Get-ClosedPort)" }
    }

    function Get-Completion([string] $line) {
        @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
    }
}

Describe 'Empty values' {
    BeforeAll { Connect-IExecWallet -PrivateKey (New-TestSecureString $testKey) | Out-Null }
    AfterAll { Disconnect-IExecWallet }

    It 'refuses an empty SecureString with EmptySecretValue before any request' {
        $listener = New-CountingListener
        try {
            $url = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"
            { Push-IExecRequesterSecret x1 -Value (New-TestSecureString '') -SmsUrl $url -ErrorAction Stop } |
                Should -Throw -ErrorId 'EmptySecretValue,IExecSecrets.Commands.PushIExecRequesterSecretCommand'
            $listener.Pending() | Should -BeFalse
        }
        finally { $listener.Stop() }
    }

    It 'refuses an empty vault value the same way, naming the secret' {
        Register-TestVault -Name EmptyVault -Secret @{ e = [byte[]]@() }
        Push-IExecRequesterSecret x1 -Vault EmptyVault -VaultSecretName e -SmsUrl "http://127.0.0.1:$(Get-ClosedPort)" -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'EmptySecretValue,*'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].TargetObject | Should -Be 'x1'
    }
}

Describe 'A host that cannot prompt' {
    BeforeAll {
        $script:pushScript = @'
Import-Module $env:TEST_MANIFEST
$key = [securestring]::new(); foreach ($c in $env:TEST_KEY.ToCharArray()) { $key.AppendChar($c) }
Connect-IExecWallet -PrivateKey $key | Out-Null
Push-IExecRequesterSecret x1 -SmsUrl $env:TEST_SMS
'@
    }

    It 'under -NonInteractive prints no prompt and fails MissingSecretValue with a non-zero exit code' {
        $run = Invoke-TestPwsh -Script $pushScript -Environment (Get-ChildEnvironment) -HomeDirectory (New-TestHome)
        ($run.Output -join "`n") + $run.Error | Should -Not -Match 'Paste your secret'
        $run.Error | Should -Match 'MissingSecretValue|cannot prompt'
        $run.ExitCode | Should -Not -Be 0
    }

    It 'with redirected stdin (no -NonInteractive) prints no prompt and fails instead of ending silently with 0' {
        $command = Get-TestPwshCommand
        $info = [System.Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($a in @($command | Select-Object -Skip 1)) { $info.ArgumentList.Add($a) }
        foreach ($a in @('-NoProfile', '-Command', "`$PSStyle.OutputRendering = 'PlainText'`n$pushScript")) { $info.ArgumentList.Add($a) }
        $environment = Get-ChildEnvironment
        foreach ($key in $environment.Keys) { $info.Environment[$key] = $environment[$key] }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.Environment['PSModulePath'] = Get-TestModulePath
        $info.Environment['HOME'] = New-TestHome
        $process = [System.Diagnostics.Process]::Start($info)
        # A user piping a file into the script: the module must not read it as the secret.
        $process.StandardInput.WriteLine('not-a-secret')
        $process.StandardInput.Close()
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        $stdout + $stderr.Result | Should -Not -Match 'Paste your secret'
        $stderr.Result | Should -Match 'cannot prompt'
        $process.ExitCode | Should -Not -Be 0
    }
}

Describe 'Remove-Module IExecSecrets' {
    It 'disconnects and zeroes the wallet, so a re-import starts without one' {
        $script = @'
Import-Module $env:TEST_MANIFEST
$key = [securestring]::new(); foreach ($c in $env:TEST_KEY.ToCharArray()) { $key.AppendChar($c) }
Connect-IExecWallet -PrivateKey $key | Out-Null
$wallet = [IExecSecrets.WalletSession]::Current
"connected=$($null -ne $wallet)"
Remove-Module IExecSecrets
"disposed=$($wallet.IsDisposed)"
Import-Module $env:TEST_MANIFEST
"after=$(@(Get-IExecWallet -ErrorAction SilentlyContinue).Count)"
'@
        $run = Invoke-TestPwsh -Script $script -Environment (Get-ChildEnvironment) -HomeDirectory (New-TestHome)
        $run.Output | Should -Be @('connected=True', 'disposed=True', 'after=0')
    }
}

Describe 'Non-terminating errors' {
    It 'Get-IExecWallet -ErrorAction SilentlyContinue without a wallet prints nothing' {
        $run = Invoke-TestPwsh -Script 'Import-Module $env:TEST_MANIFEST; Get-IExecWallet -ErrorAction SilentlyContinue; "done"' -Environment (Get-ChildEnvironment) -HomeDirectory (New-TestHome)
        $run.Output | Should -Be @('done')
        $run.Error | Should -BeNullOrEmpty
    }

    It 'Get-IExecWallet without a wallet still reports WalletNotConnected to -ErrorVariable' {
        Disconnect-IExecWallet
        $wallet = Get-IExecWallet -ErrorAction SilentlyContinue -ErrorVariable failed
        $wallet | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'WalletNotConnected,IExecSecrets.Commands.GetIExecWalletCommand'
    }
}

Describe 'Wait-IExecTask -TimeoutSec' {
    BeforeAll {
        $script:down = New-DownChainProject
        Push-Location $down
    }
    AfterAll { Pop-Location; Remove-TestDirectory $down }

    It 'ends with RpcUnreachable when the node stays down past the timeout, writing a warning per failed poll' {
        $task = '0x' + ('ab' * 32)
        # A poll against a dead node ends after the RPC client's retries (about 3 s); 10 s leaves room for several.
        $result = Wait-IExecTask -TaskId $task -TimeoutSec 10 -PollIntervalSeconds 0.2 -ErrorVariable failed -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'RpcUnreachable,IExecSecrets.Commands.WaitIExecTaskCommand'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'Wait-IExecTask again'
        # The project's chain entry has bellecour's id (134), so the command first announces that override, once; every
        # other warning is a failed poll.
        $override = @($warned | Where-Object { "$_" -match '^The "down" entry of .+ overrides built-in settings of bellecour' })
        $override.Count | Should -Be 1
        $polls = @($warned | Where-Object { $_ -notin $override })
        $polls.Count | Should -BeGreaterOrEqual 2
        foreach ($warning in $polls) { "$warning" | Should -Match '^The RPC node did not answer \(.+\); still waiting\.$' }
    }

    It 'refuses a negative timeout before any request' {
        { Wait-IExecTask -TaskId ('0x' + ('ab' * 32)) -TimeoutSec -1 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'Get-IExecDeal takes many ids' {
    It 'reads each id of an array and reports each bad one without stopping' {
        $deals = Get-IExecDeal '0x12', '0xzz' -ErrorVariable failed -ErrorAction SilentlyContinue
        $deals | Should -BeNullOrEmpty
        @($failed.TargetObject) | Should -Be @('0x12', '0xzz')
        @($failed | ForEach-Object FullyQualifiedErrorId | Sort-Object -Unique) | Should -Be @('InvalidDealId,IExecSecrets.Commands.GetIExecDealCommand')
    }

    It 'takes piped ids' {
        '0x1', '0x2', '0x3' | Get-IExecDeal -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 3
    }

    It 'refuses a bad -Requester with InvalidAddress before any request' {
        { Get-IExecDeal -Requester 0x1234 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAddress,IExecSecrets.Commands.GetIExecDealCommand'
    }

    It 'without ids it lists the connected wallet''s deals; without a wallet it fails RequesterRequired' {
        Disconnect-IExecWallet
        { Get-IExecDeal -ErrorAction Stop } | Should -Throw -ErrorId 'RequesterRequired,IExecSecrets.Commands.GetIExecDealCommand'
    }
}

Describe 'Save-IExecTaskResult and deals' {
    It 'binds the TaskIds of a piped deal, one result per task' {
        $deal = [IExecSecrets.Output.IExecDeal]@{ DealId = '0x01'; Chain = 'bellecour'; BotFirst = 0; Volume = 2; TaskIds = [string[]]@('0x12', '0x34') }
        $deal | Save-IExecTaskResult -ErrorVariable failed -ErrorAction SilentlyContinue
        @($failed.TargetObject) | Should -Be @('0x12', '0x34')
        @($failed | ForEach-Object FullyQualifiedErrorId | Sort-Object -Unique) | Should -Be @('InvalidTaskId,IExecSecrets.Commands.SaveIExecTaskResultCommand')
    }

    It 'refuses one .zip path for several tasks with ResultWriteFailed' {
        $ids = @(('0x' + ('01' * 32)), ('0x' + ('02' * 32)))
        { Save-IExecTaskResult -TaskId $ids -Path ./both.zip -ErrorAction Stop } | Should -Throw -ErrorId 'ResultWriteFailed,*'
    }
}

Describe 'Tab completion' {
    It 'completes -Tag with iExec tags and TEE pairs, not file names' {
        $matches = Get-Completion 'Invoke-IExecApp -Tag te'
        $matches | Should -Contain 'tee'
        $matches | Should -Contain 'tee,scone'
        $matches | Should -Contain 'tee,tdx'
        (Get-Completion 'Get-IExecWorkerpoolOrder -MinTag g') | Should -Be @('gramine', 'gpu')
        (Get-Completion "Publish-IExecAppOrder -Tag 'tee,sc") | Should -Contain "'tee,scone'"
    }

    It 'completes -Vault with the registered vaults, default first' {
        $previous = Get-SecretVault | Where-Object IsDefault
        Register-TestVault -Name ZetaVault
        Register-TestVault -Name AlphaVault
        Register-TestVault -Name MidVault
        try {
            # The default is neither the first registered nor the first by name: only "default first" puts it first.
            Set-SecretVaultDefault -Name MidVault
            $matches = @(Get-Completion 'Push-IExecRequesterSecret x1 -Vault ')
            $matches[0] | Should -Be 'MidVault'
            $matches | Should -Contain 'ZetaVault'
            $matches | Should -Contain 'AlphaVault'
            (Get-Completion 'Connect-IExecWallet -Vault Alp') | Should -Be @('AlphaVault')
        }
        finally {
            if ($previous) { Set-SecretVaultDefault -Name $previous.Name } else { Set-SecretVaultDefault -ClearDefault }
        }
    }

    It 'completes a keystore -Address with the addresses of the keystore files' {
        $folder = New-TestDirectory -Prefix 'iexec-keystore'
        try {
            $wallet = New-IExecWallet -Password (New-TestSecureString 'pw') -KeystoreDirectory $folder
            (Get-Completion "Connect-IExecWallet -KeystoreDirectory $folder -Address 0x") | Should -Be @($wallet.Address)
        }
        finally { Remove-TestDirectory $folder }
    }

    It 'completes -App with the app of deployed.json for the chain' {
        $folder = New-DownChainProject
        Set-Content -Path (Join-Path $folder 'deployed.json') -Value '{"app":{"134":"0x1111111111111111111111111111111111111111","5":"0x2222222222222222222222222222222222222222"}}'
        Push-Location $folder
        try { (Get-Completion 'Invoke-IExecApp -App ') | Should -Be @('0x1111111111111111111111111111111111111111') }
        finally { Pop-Location; Remove-TestDirectory $folder }
    }

    It 'completes -Dataset with the dataset of deployed.json for the chain, on every command that takes one' {
        $folder = New-DownChainProject
        Set-Content -Path (Join-Path $folder 'deployed.json') -Value '{"app":{"134":"0x1111111111111111111111111111111111111111"},"dataset":{"134":"0x3333333333333333333333333333333333333333","5":"0x2222222222222222222222222222222222222222"}}'
        Push-Location $folder
        try {
            foreach ($line in 'Invoke-IExecApp -Dataset ', 'Get-IExecDataset ', 'Get-IExecDatasetOrder -Dataset ', 'Publish-IExecDatasetOrder -Dataset ', 'Push-IExecDatasetSecret -Dataset 0x3') {
                (Get-Completion $line) | Should -Be @('0x3333333333333333333333333333333333333333') -Because $line
            }
        }
        finally { Pop-Location; Remove-TestDirectory $folder }
    }
}

Describe 'Consistent parameter names' {
    It 'Initialize-IExecProject takes -TeeFramework, -Tee still works' {
        (Get-Command Initialize-IExecProject).Parameters['TeeFramework'].Aliases | Should -Contain 'Tee'
        $folder = New-TestDirectory
        try {
            Initialize-IExecProject -Path $folder -Tee scone -Confirm:$false | Out-Null
            Test-Path (Join-Path $folder 'iexec.json') | Should -BeTrue
        }
        finally { Remove-TestDirectory $folder }
    }

    It '-VaultSecretName wherever a vault secret name is taken, -SecretName kept as an alias' {
        foreach ($name in 'Connect-IExecWallet', 'New-IExecWallet') {
            (Get-Command $name).Parameters['VaultSecretName'].Aliases | Should -Contain 'SecretName'
        }
        foreach ($name in 'Push-IExecRequesterSecret', 'Push-IExecAppSecret', 'Push-IExecDatasetSecret', 'Push-IExecWeb2Secret') {
            (Get-Command $name).Parameters.Keys | Should -Contain 'VaultSecretName'
        }
    }

    It 'Build-IExecTeeImage takes the Docker tag as -ImageTag; -Tag still works and the help says it is a Docker tag' {
        $parameter = (Get-Command Build-IExecTeeImage).Parameters['ImageTag']
        $parameter.Aliases | Should -Contain 'Tag'
        (Get-Help Build-IExecTeeImage -Parameter ImageTag).Description.Text | Should -Match 'Docker'
    }

    It 'Get-IExecDeal -DealId is a string array like Get-IExecTask -TaskId' {
        (Get-Command Get-IExecDeal).Parameters['DealId'].ParameterType | Should -Be ([string[]])
    }
}
